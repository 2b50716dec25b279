using System.Security.Cryptography;
using System.Text;
using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;
using Microsoft.Extensions.Caching.Memory;

namespace IpsOutcomes.Charts;

/// <summary>
/// Draws resolved figures as SVG or PNG: refused as the figures route refuses, 304 for a current copy, and otherwise
/// the picture. A question is drawn once per data version, whichever format is asked first; a PNG is kept by the SVG
/// it rasterises and its width.
/// </summary>
public sealed class Drawing(IndicatorService indicators, IMemoryCache cache, PngRenderer png, AsPublished published) : IDisposable
{
    public const int DefaultPngWidth = 1600; // A4 width at about 240 dots per inch
    public const int MinWidth = 320, MaxWidth = 4000;

    /// <summary>
    /// The widths a PNG is drawn at: one asked for is rounded up to the next, so that a flood of requests each with its
    /// own width is a few rasterisations, each kept, not one per request.
    /// </summary>
    public static readonly int[] Widths = [320, 480, 640, 800, 1024, 1280, 1600, 2000, 2400, 3200, 4000];

    // Rasterising takes a core for up to a second: one at a time, so that it never takes both from everyone else.
    private readonly SemaphoreSlim rasterising = new(1);

    /// <summary>A drawn chart: its SVG as sent, and that SVG's hash, the key of its PNGs.</summary>
    private sealed record Drawn(byte[] Svg, string Hash)
    {
        public static Drawn Of(string svg)
        {
            var bytes = Encoding.UTF8.GetBytes(svg);
            return new(bytes, Convert.ToHexString(SHA256.HashData(bytes)));
        }
    }

    public Task<IResult> DrawAsync<T>(Resolution<T> figures, string chart, string image, int? width, HttpContext http, Func<T,
        string?> draw, CancellationToken ct) =>
        DrawAsync(figures, chart, image, width, http, answer => Task.FromResult(draw(answer)), ct);

    /// <param name="draw">The SVG of the answer, or null when there is nothing to draw; run only when the chart is not already
    /// drawn.</param>
    public async Task<IResult> DrawAsync<T>(Resolution<T> figures, string chart, string image, int? width, HttpContext http,
        Func<T, Task<string?>> draw, CancellationToken ct)
    {
        if (figures.Refusal is { } refusal) return refusal;
        if (width is < MinWidth or > MaxWidth) return Problems.Invalid("width", $"width is the PNG's width in pixels, {MinWidth} to {MaxWidth}.");
        var pixels = Widths.First(w => w >= (width ?? DefaultPngWidth));

        // A chart whose figures have no cache key (completeness: it changes with the day) is drawn afresh each time.
        var cacheable = figures.Asked.Length > 0;
        var version = cacheable ? await indicators.VersionOfAsync(figures.Providers, ct) : 0;
        if (cacheable && Freshness.IsCurrent(http, "g", version, $"{chart}|{figures.Asked}|{image}|{(image == "png" ? pixels : 0)}"))
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        var key = (published.Key, version, "chart", chart, figures.Asked);
        if (!cacheable || !cache.TryGetValue(key, out Drawn? drawn))
        {
            if (await draw(await figures.Build()) is not { } svg) return Problems.NotFound("There is nothing to draw for that request.");
            drawn = Drawn.Of(svg);
            if (cacheable) cache.Set(key, drawn,
                new MemoryCacheEntryOptions { Size = drawn.Svg.Length + 128, SlidingExpiration = TimeSpan.FromMinutes(30) });
        }
        return image == "png"
            ? TypedResults.Bytes(await RasterisedAsync(drawn!, pixels, ct), ChartsApi.Png)
            : TypedResults.Bytes(drawn!.Svg, ChartsApi.Svg + "; charset=utf-8");
    }

    public void Dispose() => rasterising.Dispose();

    /// <summary>
    /// A PNG is kept by what it draws: the same SVG at the same width is the same picture. So a chart that is drawn
    /// afresh each time (completeness) costs its SVG, not a rasterisation, while nothing in it changes.
    /// </summary>
    private async Task<byte[]> RasterisedAsync(Drawn drawn, int pixels, CancellationToken ct)
    {
        var key = ("png", drawn.Hash, pixels);
        if (cache.TryGetValue(key, out byte[]? kept)) return kept!;
        await rasterising.WaitAsync(ct);
        try
        {
            // The same picture asked for while this one waited is drawn once: the first to its turn keeps it for the rest.
            if (cache.TryGetValue(key, out kept)) return kept!;
            var bytes = png.Render(Encoding.UTF8.GetString(drawn.Svg), pixels);
            cache.Set(key, bytes, new MemoryCacheEntryOptions { Size = bytes.Length + 64, SlidingExpiration = TimeSpan.FromMinutes(30) });
            return bytes;
        }
        finally
        {
            rasterising.Release();
        }
    }
}
