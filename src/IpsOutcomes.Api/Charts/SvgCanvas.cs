using System.Globalization;
using System.Net;
using System.Text;

namespace IpsOutcomes.Charts;

/// <summary>
/// A small SVG writer. Charts are drawn as SVG by hand rather than by a plotting library so that every mark is an
/// element a screen reader, a test and a stylesheet can find (<c>&lt;g class="point"&gt;</c> with its own title), and
/// so that the PNG is the very same drawing rasterised (<see cref="PngRenderer"/>).
/// </summary>
public sealed class SvgCanvas
{
    /// <summary>The font every chart is drawn in: bundled for the PNG (wwwroot/fonts), metric-compatible with Arial where a viewer lacks
    /// it.</summary>
    public const string FontFamily = "Liberation Sans, Arial, sans-serif";

    private readonly StringBuilder svg = new();

    public double Width { get; }
    public double Height { get; }

    public SvgCanvas(double width, double height, string title, string description)
    {
        (Width, Height) = (width, height);
        svg.Append(CultureInfo.InvariantCulture,
            $"""<svg xmlns="http://www.w3.org/2000/svg" width="{N(width)}" height="{N(height)}" viewBox="0 0 {N(width)} {N(height)}" role="img" aria-labelledby="chart-title chart-desc" font-family="{FontFamily}" class="chart-svg">""");
        svg.Append($"<title id=\"chart-title\">{E(title)}</title><desc id=\"chart-desc\">{E(description)}</desc>");
        svg.Append($"<rect width=\"{N(width)}\" height=\"{N(height)}\" fill=\"#ffffff\"/>");
    }

    /// <summary>A group of marks, with a class a test or a stylesheet can find and, if given, a title a pointer or a screen reader
    /// reads.</summary>
    public SvgCanvas Open(string cssClass, string? title = null, string? data = null)
    {
        svg.Append($"<g class=\"{E(cssClass)}\"{(data is null ? "" : " " + data)}>");
        if (title is not null) svg.Append($"<title>{E(title)}</title>");
        return this;
    }

    public SvgCanvas Close()
    {
        svg.Append("</g>");
        return this;
    }

    public SvgCanvas Text(double x, double y, string text, double size = 14, string anchor = "start", bool bold = false,
        string fill = Colours.Text, string? cssClass = null)
    {
        svg.Append($"<text x=\"{N(x)}\" y=\"{N(y)}\" font-size=\"{N(size)}\" fill=\"{fill}\"");
        if (anchor != "start") svg.Append($" text-anchor=\"{anchor}\"");
        if (bold) svg.Append(" font-weight=\"bold\"");
        if (cssClass is not null) svg.Append($" class=\"{cssClass}\"");
        svg.Append('>').Append(E(text)).Append("</text>");
        return this;
    }

    public SvgCanvas Line(double x1, double y1, double x2, double y2, string stroke, double width = 1, string? dash = null,
        string? cssClass = null)
    {
        svg.Append($"<line x1=\"{N(x1)}\" y1=\"{N(y1)}\" x2=\"{N(x2)}\" y2=\"{N(y2)}\" stroke=\"{stroke}\" stroke-width=\"{N(width)}\"");
        if (dash is not null) svg.Append($" stroke-dasharray=\"{dash}\"");
        if (cssClass is not null) svg.Append($" class=\"{cssClass}\"");
        svg.Append("/>");
        return this;
    }

    /// <summary>A line through the points; a null point breaks it (a gap is never bridged).</summary>
    public SvgCanvas Polyline(IEnumerable<(double X, double Y)?> points, string stroke, double width = 2, string? dash = null,
        string? cssClass = null)
    {
        foreach (var run in Runs(points).Where(r => r.Count > 1))
        {
            svg.Append($"<polyline fill=\"none\" stroke=\"{stroke}\" stroke-width=\"{N(width)}\" points=\"{string.Join(' ', run.Select(p => $"{N(p.X)},{N(p.Y)}"))}\"");
            if (dash is not null) svg.Append($" stroke-dasharray=\"{dash}\"");
            if (cssClass is not null) svg.Append($" class=\"{cssClass}\"");
            svg.Append("/>");
        }
        return this;
    }

    /// <summary>A band between a lower and an upper line, broken where either is missing.</summary>
    public SvgCanvas Band(IEnumerable<(double X, double Lower, double Upper)?> points, string fill, string? cssClass = null)
    {
        foreach (var run in Runs(points).Where(r => r.Count > 1))
        {
            var outline = run.Select(p => $"{N(p.X)},{N(p.Upper)}").Concat(run.AsEnumerable().Reverse().Select(p => $"{N(p.X)},{N(p.Lower)}"));
            svg.Append($"<polygon fill=\"{fill}\" stroke=\"none\" points=\"{string.Join(' ', outline)}\"");
            if (cssClass is not null) svg.Append($" class=\"{cssClass}\"");
            svg.Append("/>");
        }
        return this;
    }

    public SvgCanvas Rect(double x, double y, double width, double height, string fill, string? stroke = null, string? cssClass = null)
    {
        svg.Append($"<rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(Math.Max(0, width))}\" height=\"{N(Math.Max(0, height))}\" fill=\"{fill}\"");
        if (stroke is not null) svg.Append($" stroke=\"{stroke}\"");
        if (cssClass is not null) svg.Append($" class=\"{cssClass}\"");
        svg.Append("/>");
        return this;
    }

    /// <summary>A marker whose shape carries its meaning as well as its colour: a circle, a diamond, a square or a triangle.</summary>
    public SvgCanvas Marker(double x, double y, Shape shape, string fill, double r = 5)
    {
        var stroke = "stroke=\"#ffffff\" stroke-width=\"1\"";
        svg.Append(shape switch
        {
            Shape.Circle => $"<circle cx=\"{N(x)}\" cy=\"{N(y)}\" r=\"{N(r)}\" fill=\"{fill}\" {stroke}/>",
            Shape.Diamond => $"<polygon points=\"{N(x)},{N(y - r * 1.3)} {N(x + r * 1.3)},{N(y)} {N(x)},{N(y + r * 1.3)} {N(x - r * 1.3)},{N(y)}\" fill=\"{fill}\" {stroke}/>",
            Shape.Square => $"<rect x=\"{N(x - r)}\" y=\"{N(y - r)}\" width=\"{N(2 * r)}\" height=\"{N(2 * r)}\" fill=\"{fill}\" {stroke}/>",
            _ => $"<polygon points=\"{N(x)},{N(y - r * 1.3)} {N(x + r * 1.2)},{N(y + r)} {N(x - r * 1.2)},{N(y + r)}\" fill=\"{fill}\" {stroke}/>",
        });
        return this;
    }

    public override string ToString() => svg + "</svg>";

    private static List<List<T>> Runs<T>(IEnumerable<T?> points) where T : struct
    {
        var runs = new List<List<T>> { new() };
        foreach (var point in points)
            if (point is { } p) runs[^1].Add(p);
            else if (runs[^1].Count > 0) runs.Add([]);
        return runs;
    }

    internal static string N(double value) => Math.Round(value, 2).ToString(CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}

public enum Shape { Circle, Diamond, Square, Triangle }

/// <summary>The NHS identity colours the charts use (service-manual.nhs.uk/design-system/styles/colour).</summary>
public static class Colours
{
    public const string Text = "#212b32";
    public const string Secondary = "#4c6272";
    public const string Blue = "#005eb8";
    public const string DarkBlue = "#003087";
    public const string PaleBlue = "#c6dbef";
    public const string Grey = "#768692";
    public const string PaleGrey = "#d8dde0";
    public const string Grid = "#e8edee";
    public const string Orange = "#ed8b00";
    public const string Purple = "#330072";
    public const string Green = "#007f3b";
    public const string Red = "#d5281b";
    public const string Yellow = "#ffeb3b";
}
