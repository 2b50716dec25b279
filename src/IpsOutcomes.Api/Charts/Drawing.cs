using System.Security.Cryptography;
using System.Text;
using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;
using Microsoft.Extensions.Caching.Memory;

namespace IpsOutcomes.Charts;

/// <summary>
/// Draws resolved figures as SVG or PNG: refused as the figures route refuses, 304 for a current copy, and otherwise
/// the picture, drawn once per data version, question, format and width.
/// </summary>
public sealed class Drawing(IndicatorService indicators, IMemoryCache cache, PngRenderer png)
{
    public const int DefaultPngWidth = 1600; // A4 width at about 240 dots per inch
    public const int MinWidth = 320, MaxWidth = 4000;

    public async Task<IResult> DrawAsync<T>(Figures<T> figures, string chart, string image, int? width, HttpContext http, CancellationToken ct,
        Func<T, string?> draw)
    {
        if (figures.Refusal is { } refusal) return refusal;
        if (width is < MinWidth or > MaxWidth) return Problems.Invalid("width", $"width is the PNG's width in pixels, {MinWidth} to {MaxWidth}.");
        var pixels = width ?? DefaultPngWidth;
        var asked = $"{chart}|{figures.Asked}|{image}|{(image == "png" ? pixels : 0)}";

        // A chart whose figures have no cache key (completeness: it changes with the day) is drawn afresh each time.
        var cacheable = figures.Asked.Length > 0;
        var version = cacheable ? await indicators.DataVersionAsync(ct) : 0;
        if (cacheable && Freshness.IsCurrent(http, "g", version, asked)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        if (!cacheable || !cache.TryGetValue((version, "chart", asked), out byte[]? bytes))
        {
            if (draw(await figures.Build()) is not { } svg) return Problems.NotFound("There is nothing to draw for that request.");
            bytes = image == "png" ? Rasterised(svg, pixels) : Encoding.UTF8.GetBytes(svg);
            if (cacheable) cache.Set((version, "chart", asked), bytes, new MemoryCacheEntryOptions { Size = bytes.Length + 64, SlidingExpiration = TimeSpan.FromMinutes(30) });
        }
        return TypedResults.Bytes(bytes!, image == "png" ? ChartsApi.Png : ChartsApi.Svg + "; charset=utf-8");
    }

    /// <summary>
    /// A PNG is kept by what it draws: the same SVG at the same width is the same picture. So a chart that is drawn
    /// afresh each time (completeness) costs its SVG, not a rasterisation, while nothing in it changes.
    /// </summary>
    private byte[] Rasterised(string svg, int pixels) =>
        cache.GetOrCreate(("png", Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(svg))), pixels), entry =>
        {
            var bytes = png.Render(svg, pixels);
            entry.Size = bytes.Length + 64;
            entry.SlidingExpiration = TimeSpan.FromMinutes(30);
            return bytes;
        })!;
}
