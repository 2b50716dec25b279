using IpsOutcomes.Indicators;
using static IpsOutcomes.Charts.ChartFrame;

namespace IpsOutcomes.Charts;

/// <summary>An XmR chart in the Making Data Count style (the SPC chart). Drawn by <see cref="Draw"/> as a pure function of the figures the
/// API serves.</summary>
public static class ControlChart
{
    /// <summary>An XmR chart in the Making Data Count style, with its variation and assurance icons.</summary>
    public static string Draw(IndicatorDefinition definition, SpcSeries series, double? target, long version)
    {
        var points = series.Months;
        var hidden = points.Count(m => m.Value is null);
        var withLimits = points.Any(m => m.UpperLimit is not null);
        var text = new ChartText($"{definition.Name}: statistical process control",
            $"{series.OrganisationName}. " + (points.Count == 0 ? "No months" : $"Monthly, {points[0].Period} to {points[^1].Period}"),
            Notes(ChartText.Hidden(hidden, "month", "no figure to publish (none, or too few under the small-number rules); a gap breaks runs"),
                withLimits ? "Solid line: mean. Dashed lines: process limits (mean ± 2.66 × mean moving range)." : "Fewer than 12 months with values: no process limits yet.",
                target is { } t ? $"Red dashed line: target {InUnit(t, definition.Unit)}." : null,
                "Markers: grey circle common cause; blue circle improvement; orange diamond concern; purple square neither better nor worse."), version);
        var (left, right, top, bottom) = (84.0, Width - 40, ChartText.Top + 56, ChartText.Top + 56 + 300);
        var canvas = new SvgCanvas(Width, bottom + 50 + text.FooterHeight, text.Title,
            $"SPC chart of {definition.Name} for {series.OrganisationName}. Variation: {Words(series.Variation)}. Assurance: {Words(series.Assurance)}. " +
            string.Join(" ", points.Select(m => $"{m.Period}: {(m.Value is { } v ? $"{InUnit(v, definition.Unit)}, {Words(m.State)}" : "not published")}.")));
        text.Draw(canvas, 20);
        Icon(canvas, Width - 150, 92, VariationColour(series.Variation), VariationLetter(series.Variation, definition.Polarity),
            "Variation", Words(series.Variation), "icon variation");
        Icon(canvas, Width - 60, 92, AssuranceColour(series.Assurance), AssuranceLetter(series.Assurance), "Assurance", Words(series.Assurance), "icon assurance");

        var values = points.SelectMany(m => new[] { m.Value, m.LowerLimit, m.UpperLimit }).OfType<double>()
            .Concat(target is { } g ? [g] : []);
        var (min, max) = Scale.Padded(values, fromZero: false);
        if (definition.Unit == Unit.Percent) (min, max) = (Math.Max(0, min), Math.Min(100, max));
        var y = new Scale(min, max, bottom, top, Whole: definition.Unit == Unit.Count);
        Axes.Left(canvas, y, left, right, UnitLabel(definition), Suffix(definition));
        var step = (right - left) / Math.Max(1, points.Count);
        double X(int i) => left + (i + 0.5) * step;
        PeriodLabels(canvas, points.Select(m => m.Period).ToList(), X, bottom);

        canvas.Polyline(points.Select((m, i) => m.UpperLimit is { } u ? (X(i), y.Map(u)) : ((double, double)?)null), Colours.Grey, 1.5,
            "6 4", "upper-limit");
        canvas.Polyline(points.Select((m, i) => m.LowerLimit is { } l ? (X(i), y.Map(l)) : ((double, double)?)null), Colours.Grey, 1.5,
            "6 4", "lower-limit");
        canvas.Polyline(points.Select((m, i) => m.Mean is { } mean ? (X(i), y.Map(mean)) : ((double, double)?)null), Colours.Text, 1.5,
            cssClass: "mean");
        if (target is { } goal) canvas.Line(left, y.Map(goal), right, y.Map(goal), Colours.Red, 1.5, "3 3", "target");
        canvas.Polyline(points.Select((m, i) => m.Value is { } v ? (X(i), y.Map(v)) : ((double, double)?)null), Colours.Grey, 1.5,
            cssClass: "series");
        canvas.Open("points");
        for (var i = 0; i < points.Count; i++)
            if (points[i].Value is { } v)
            {
                var (shape, colour) = StateMark(points[i].State);
                canvas.Open($"point state-{CsvName(points[i].State)}", $"{points[i].Period}: {InUnit(v, definition.Unit)}, {Words(points[i].State)}");
                canvas.Marker(X(i), y.Map(v), shape, colour, points[i].State is PointState.CommonCause ? 4 : 5.5).Close();
            }
        canvas.Close();
        return canvas.ToString();
    }
}
