using IpsOutcomes.Indicators;
using static IpsOutcomes.Charts.ChartFrame;

namespace IpsOutcomes.Charts;

/// <summary>A league table as bars with intervals. Drawn by <see cref="Draw"/> as a pure function of the figures the API serves.</summary>
public static class LeagueChart
{
    /// <summary>A league table: each organisation's value as a bar with its interval, highest first, and the benchmark.</summary>
    public static string Draw(IndicatorDefinition definition, string scope, IReadOnlyList<IndicatorValue> rows, long version)
    {
        var shown = rows.Where(r => r.Value is not null).OrderByDescending(r => r.Value).ToList();
        var hidden = rows.Where(r => r.Value is null).Select(r => r.OrganisationName).ToList();
        var text = new ChartText($"{definition.Name}: league table", $"{Capital(scope)}. {(rows.Count == 0 ? "" : rows[0].Period)}",
            Notes(hidden.Count is 0 or > 5 ? ChartText.Hidden(hidden.Count, "organisation", "no figure to publish (none, or too few under the small-number rules)")
                    : $"Not drawn, no figure to publish (none, or too few under the small-number rules): {string.Join(", ", hidden.Select(ShortName))}.",
                definition.Unit == Unit.Percent ? "Bars: value; lines: 95% confidence interval (Wilson)." : null,
                definition.Benchmark is { } b ? $"Dashed line: benchmark {InUnit(b, definition.Unit)}." : null), version);
        const double rowHeight = 28, names = 250;
        var top = ChartText.Top + 10;
        var bottom = top + Math.Max(1, shown.Count) * rowHeight;
        var canvas = new SvgCanvas(Width, bottom + 56 + text.FooterHeight, text.Title,
            $"Bar chart of {definition.Name} for {scope}, {(rows.Count == 0 ? "" : rows[0].Period)}, highest first. " +
            string.Join(" ", shown.Select(r => $"{r.OrganisationName}: {InUnit(r.Value!.Value, definition.Unit)}{Interval(r, definition.Unit)}.")));
        text.Draw(canvas, 20);
        var values = shown.SelectMany(r => new[] { r.Value, r.UpperCi }).OfType<double>().Append(definition.Benchmark ?? 0);
        var (_, max) = Scale.Padded(values);
        var x = new Scale(0, definition.Unit == Unit.Percent ? Math.Min(100, max) : max, names, Width - 40,
            Whole: definition.Unit == Unit.Count);
        Axes.Bottom(canvas, x, top, bottom, UnitLabel(definition), Suffix(definition));
        canvas.Open("bars");
        for (var i = 0; i < shown.Count; i++)
        {
            var r = shown[i];
            var cy = top + (i + 0.5) * rowHeight;
            canvas.Open("bar", $"{r.OrganisationName}: {InUnit(r.Value!.Value, definition.Unit)}{Interval(r, definition.Unit)}");
            canvas.Text(names - 10, cy + 5, Shorten(ShortName(r.OrganisationName), 34), 13, "end");
            canvas.Rect(x.From, cy - 9, x.Map(r.Value.Value) - x.From, 18, Colours.Blue);
            if (r is { LowerCi: { } lo, UpperCi: { } hi })
            {
                canvas.Line(x.Map(lo), cy, x.Map(hi), cy, Colours.Text, 1.5);
                canvas.Line(x.Map(lo), cy - 6, x.Map(lo), cy + 6, Colours.Text, 1.5)
                    .Line(x.Map(hi), cy - 6, x.Map(hi), cy + 6, Colours.Text, 1.5);
            }
            canvas.Close();
        }
        canvas.Close();
        if (definition.Benchmark is { } benchmark)
            canvas.Line(x.Map(benchmark), top - 4, x.Map(benchmark), bottom, Colours.Text, 1.5, "6 4", "benchmark");
        return canvas.ToString();
    }
}
