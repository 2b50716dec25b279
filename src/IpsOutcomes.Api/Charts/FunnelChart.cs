using IpsOutcomes.Indicators;
using static IpsOutcomes.Charts.ChartFrame;

namespace IpsOutcomes.Charts;

/// <summary>A funnel plot around England. Drawn by <see cref="Draw"/> as a pure function of the figures the API serves.</summary>
public static class FunnelChart
{
    /// <summary>A funnel plot: each peer's proportion against its denominator, England's proportion and the 95% and 99.8% limits.</summary>
    public static string Draw(IndicatorDefinition definition, FunnelReport report, string scope)
    {
        var shown = report.Points.Where(p => p.Value is not null && p.Denominator is > 0).ToList();
        var hidden = report.Points.Count - shown.Count;
        var text = new ChartText($"{definition.Name}: funnel plot", $"{Capital(scope)}. {report.Period}",
            Notes(ChartText.Hidden(hidden, "organisation", "no figure to publish (none, or too few under the small-number rules)"),
                report.ComparatorValue is { } c ? $"Centre line: England {InUnit(c, Unit.Percent)}. Dashed: 95% limits; solid grey: 99.8% limits." : "No England figure to centre the funnel on.",
                "Markers: circle within the limits; triangle above; diamond below."), report.DataVersion);
        var (left, right, top, bottom) = (84.0, Width - 40, ChartText.Top + 14, ChartText.Top + 14 + 320);
        var canvas = new SvgCanvas(Width, bottom + 56 + text.FooterHeight, text.Title,
            $"Funnel plot of {definition.Name}, {report.Period}, {scope}. " +
            string.Join(" ", shown.Select(p => $"{p.Name}: {InUnit(p.Value!.Value, Unit.Percent)} of {p.Denominator}, {Words(p.Position)}.")));
        text.Draw(canvas, 20);
        var largest = Math.Max(10, shown.Count == 0 ? 10 : shown.Max(p => p.Denominator!.Value) * 1.05);
        var x = new Scale(0, largest, left, right);
        var limits = report.Limits.Where(l => l.Denominator <= largest).ToList();
        var (min, max) = Scale.Padded(shown.Select(p => p.Value!.Value).Concat(limits.Where(l => l.Denominator >= largest / 20)
            .SelectMany(l => new[] { l.Lower998, l.Upper998 })), fromZero: false);
        var y = new Scale(Math.Max(0, min), Math.Min(100, max), bottom, top);
        Axes.Left(canvas, y, left, right, "Percent", "%");
        Axes.Bottom(canvas, x, top, bottom, $"Denominator ({definition.Denominator ?? "people"})");
        (double, double)? At(long n, double v) => v >= y.Min && v <= y.Max ? (x.Map(n), y.Map(v)) : null;
        canvas.Polyline(limits.Select(l => At(l.Denominator, l.Upper998)), Colours.Grey, 1.5, cssClass: "limit-998");
        canvas.Polyline(limits.Select(l => At(l.Denominator, l.Lower998)), Colours.Grey, 1.5, cssClass: "limit-998");
        canvas.Polyline(limits.Select(l => At(l.Denominator, l.Upper95)), Colours.Grey, 1.5, "6 4", "limit-95");
        canvas.Polyline(limits.Select(l => At(l.Denominator, l.Lower95)), Colours.Grey, 1.5, "6 4", "limit-95");
        if (report.ComparatorValue is { } centre) canvas.Line(left, y.Map(centre), right, y.Map(centre), Colours.DarkBlue, 1.5,
            cssClass: "centre");
        canvas.Open("points");
        foreach (var p in shown)
        {
            var (shape, colour) = FunnelMark(p.Position, definition.Polarity);
            var (px, py) = (x.Map(p.Denominator!.Value), y.Map(Math.Clamp(p.Value!.Value, y.Min, y.Max)));
            canvas.Open($"point position-{CsvName(p.Position)}", $"{p.Name}: {InUnit(p.Value.Value, Unit.Percent)} of {p.Denominator}, {Words(p.Position)}");
            canvas.Marker(px, py, shape, colour, 5.5);
            if (p.Position is FunnelPosition.Above998 or FunnelPosition.Below998) canvas.Text(px + 8, py - 6, p.Code, 12);
            canvas.Close();
        }
        canvas.Close();
        return canvas.ToString();
    }
}
