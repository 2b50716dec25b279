using SkiaSharp;
using Svg.Skia;
using Svg.Skia.TypefaceProviders;

namespace IpsOutcomes.Charts;

/// <summary>
/// A chart's PNG is its SVG rasterised (Svg.Skia on SkiaSharp), so the two can never disagree. Text is set only in
/// the fonts bundled under wwwroot/fonts and built into the assembly, never the machine's: the picture is the same in
/// the container image as on a developer's machine.
/// </summary>
public sealed class PngRenderer
{
    // Bold first: a provider answers for the weights its face has, and the regular face would answer for bold too.
    private readonly ITypefaceProvider[] fonts = new[] { "LiberationSans-Bold.ttf", "LiberationSans-Regular.ttf" }
        .Select(name => (ITypefaceProvider)new CustomTypefaceProvider(typeof(PngRenderer).Assembly.GetManifestResourceStream("fonts/" + name)
            ?? throw new InvalidOperationException($"The chart font {name} is not built into the assembly.")))
        .ToArray();

    /// <summary>The SVG drawn <paramref name="width"/> pixels wide, its height in proportion.</summary>
    public byte[] Render(string svgText, int width)
    {
        using var svg = new SKSvg();
        svg.Settings.TypefaceProviders?.Clear();
        foreach (var font in fonts) svg.Settings.TypefaceProviders?.Add(font);
        svg.FromSvg(svgText);
        var picture = svg.Picture ?? throw new InvalidOperationException("The chart's SVG could not be read.");
        var scale = width / picture.CullRect.Width;
        var height = (int)Math.Round(picture.CullRect.Height * scale);
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            canvas.Scale(scale);
            canvas.DrawPicture(picture);
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
