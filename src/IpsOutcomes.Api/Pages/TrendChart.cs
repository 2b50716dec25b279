using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;

namespace IpsOutcomes.Pages;

/// <summary>
/// A small line chart drawn as inline SVG: one value a month, gaps where a value is hidden, and the benchmark as a
/// dashed line. It has a title and a description for screen readers; the page puts its data in a table beside it.
/// </summary>
public static class TrendChart
{
    private const int Width = 640, Height = 240, Left = 56, Right = 16, Top = 16, Bottom = 40;

    public static IHtmlContent Draw(string id, string title, IReadOnlyList<(string Label, double? Value)> points, double? benchmark, string unit)
    {
        var values = points.Where(p => p.Value is not null).Select(p => p.Value!.Value).Append(benchmark ?? 0).Append(0).ToList();
        var top = NiceCeiling(values.Max());
        double X(int i) => Left + (points.Count == 1 ? 0 : i * (Width - Left - Right) / (double)(points.Count - 1));
        double Y(double v) => Top + (Height - Top - Bottom) * (1 - v / top);
        static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

        var svg = new StringBuilder();
        svg.Append($"""<svg class="ips-chart" id="{id}" viewBox="0 0 {Width} {Height}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg">""");
        svg.Append($"""<title id="{id}-title">{WebUtility.HtmlEncode(title)}</title>""");
        var shown = points.Where(p => p.Value is not null).ToList();
        var description = shown.Count == 0 ? "No values to show."
            : $"From {F(shown[0].Value!.Value)}{unit} in {shown[0].Label} to {F(shown[^1].Value!.Value)}{unit} in {shown[^1].Label}."
              + (benchmark is { } b ? $" The benchmark is {F(b)}{unit}." : "")
              + (shown.Count < points.Count ? $" {points.Count - shown.Count} month(s) not shown." : "");
        svg.Append($"""<desc id="{id}-desc">{WebUtility.HtmlEncode(description)}</desc>""");
        svg.Append($"""<line class="ips-axis" x1="{Left}" y1="{Y(0)}" x2="{Width - Right}" y2="{Y(0)}"/>""");
        svg.Append($"""<line class="ips-axis" x1="{Left}" y1="{Top}" x2="{Left}" y2="{Y(0)}"/>""");
        foreach (var tick in new[] { 0, top / 2, top })
            svg.Append($"""<text x="{Left - 6}" y="{F(Y(tick) + 5)}" text-anchor="end">{F(tick)}{unit}</text>""");
        for (var i = 0; i < points.Count; i += Math.Max(1, points.Count / 6))
            svg.Append($"""<text x="{F(X(i))}" y="{Height - 12}" text-anchor="middle">{WebUtility.HtmlEncode(points[i].Label)}</text>""");
        if (benchmark is { } line)
        {
            // Labelled as well as dashed: colour is never the only signal.
            svg.Append($"""<line class="ips-benchmark" x1="{Left}" y1="{F(Y(line))}" x2="{Width - Right}" y2="{F(Y(line))}"/>""");
            svg.Append($"""<text x="{Width - Right}" y="{F(Y(line) - 6)}" text-anchor="end">Benchmark {F(line)}{unit}</text>""");
        }
        // A hidden value breaks the line: each run of shown values is its own path.
        var run = new List<string>();
        void Flush()
        {
            if (run.Count > 1) svg.Append($"""<polyline class="ips-line" points="{string.Join(" ", run)}"/>""");
            run.Clear();
        }
        for (var i = 0; i < points.Count; i++)
        {
            if (points[i].Value is not { } v) { Flush(); continue; }
            run.Add($"{F(X(i))},{F(Y(v))}");
            svg.Append($"""<circle class="ips-point" cx="{F(X(i))}" cy="{F(Y(v))}" r="4"/>""");
        }
        Flush();
        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }

    /// <summary>1, 2 or 5 times a power of ten, at or above the largest value, so the axis reads in round numbers.</summary>
    public static double NiceCeiling(double max)
    {
        if (max <= 0) return 1;
        var power = Math.Pow(10, Math.Floor(Math.Log10(max)));
        foreach (var step in new[] { 1, 2, 5, 10 })
            if (step * power >= max) return step * power;
        return 10 * power;
    }
}
