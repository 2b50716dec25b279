using IpsOutcomes.Indicators;
using static IpsOutcomes.Charts.ChartFrame;

namespace IpsOutcomes.Charts;

/// <summary>A series of one indicator for one organisation over time. Drawn by <see cref="Draw"/> as a pure function of the figures the API
/// serves.</summary>
public static class TrendChart
{
    /// <summary>A series of one indicator for one organisation: the line, its 95% interval as a band, and the benchmark.</summary>
    public static string Draw(IndicatorDefinition definition, string organisation, IReadOnlyList<IndicatorValue> rows, long version)
    {
        var percent = definition.Unit == Unit.Percent;
        var hidden = rows.Count(r => r.Value is null);
        var text = new ChartText(definition.Name, $"{organisation}. {Span(rows)}",
            Notes(ChartText.Hidden(hidden, "period", "no figure to publish (none, or too few under the small-number rules)"),
                definition.Benchmark is { } b ? $"Dashed line: benchmark {InUnit(b, definition.Unit)} ({definition.BenchmarkSource})." : null,
                percent ? "Shaded band: 95% confidence interval (Wilson)." : null), version);
        var (left, right, top, bottom) = (84.0, Width - 40, ChartText.Top + 14, ChartText.Top + 14 + 300);
        var canvas = new SvgCanvas(Width, bottom + 50 + text.FooterHeight, text.Title,
            $"Line chart of {definition.Name} by {Label(rows.FirstOrDefault()?.PeriodType)} for {organisation}, {Span(rows)}. " +
            string.Join(" ", rows.Select(r => $"{PeriodOf(r)}: {(r.Value is { } v ? InUnit(v, definition.Unit) : "not published")}.")));
        text.Draw(canvas, 20);

        var values = rows.SelectMany(r => new[] { r.Value, r.LowerCi, r.UpperCi }).OfType<double>().Append(definition.Benchmark ?? 0);
        var (min, max) = Scale.Padded(values);
        if (percent) max = Math.Min(100, max);
        var y = new Scale(min, max, bottom, top, Whole: definition.Unit == Unit.Count);
        Axes.Left(canvas, y, left, right, UnitLabel(definition), Suffix(definition));
        var step = (right - left) / Math.Max(1, rows.Count);
        double X(int i) => left + (i + 0.5) * step;
        PeriodLabels(canvas, rows.Select(PeriodOf).ToList(), X, bottom);

        if (percent)
            canvas.Band(rows.Select((r, i) => r is { LowerCi: { } lo, UpperCi: { } hi } ? (X(i), y.Map(lo), y.Map(hi))
                : ((double, double, double)?)null), Colours.PaleBlue, "interval");
        if (definition.Benchmark is { } benchmark)
        {
            canvas.Line(left, y.Map(benchmark), right, y.Map(benchmark), Colours.Text, 1.5, "6 4", "benchmark");
            canvas.Text(right, y.Map(benchmark) - 6, $"Benchmark {InUnit(benchmark, definition.Unit)}", 13, "end");
        }
        canvas.Polyline(rows.Select((r, i) => r.Value is { } v ? (X(i), y.Map(v)) : ((double, double)?)null), Colours.Blue, 2.5,
            cssClass: "series");
        canvas.Open("points");
        for (var i = 0; i < rows.Count; i++)
            if (rows[i].Value is { } v)
            {
                canvas.Open("point", $"{PeriodOf(rows[i])}: {InUnit(v, definition.Unit)}{Interval(rows[i], definition.Unit)}");
                canvas.Marker(X(i), y.Map(v), Shape.Circle, Colours.Blue, 4.5).Close();
            }
        canvas.Close();
        return canvas.ToString();
    }
}
