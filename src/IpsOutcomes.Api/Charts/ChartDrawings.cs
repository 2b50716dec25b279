using System.Globalization;
using IpsOutcomes.Equality;
using IpsOutcomes.Indicators;
using IpsOutcomes.MonthEnd;

namespace IpsOutcomes.Charts;

/// <summary>
/// The charts (pages.md, "Charts as a resource"), as pure functions from the figures the API serves to SVG. They draw
/// only what they are given: a figure the disclosure rules hid is a gap, and the chart's notes say how many.
/// Every drawing is 800 units wide, which prints legibly across A4 (13-unit text is about 8 point).
/// </summary>
public static class ChartDrawings
{
    public const double Width = 800;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A series of one indicator for one organisation: the line, its 95% interval as a band, and the benchmark.</summary>
    public static string Trend(IndicatorDefinition definition, string organisation, IReadOnlyList<IndicatorValue> rows, long version)
    {
        var percent = definition.Unit == Unit.Percent;
        var hidden = rows.Count(r => r.Value is null);
        var text = new ChartText(definition.Name, $"{organisation}. {Span(rows)}",
            Notes(ChartText.Hidden(hidden, "period", "no figure to publish (none, or too few under the small-number rules)"),
                definition.Benchmark is { } b ? $"Dashed line: benchmark {Figure(b, definition.Unit)} ({definition.BenchmarkSource})." : null,
                percent ? "Shaded band: 95% confidence interval (Wilson)." : null), version);
        var (left, right, top, bottom) = (84.0, Width - 40, ChartText.Top + 14, ChartText.Top + 14 + 300);
        var canvas = new SvgCanvas(Width, bottom + 50 + text.FooterHeight, text.Title,
            $"Line chart of {definition.Name} by {Label(rows.FirstOrDefault()?.PeriodType)} for {organisation}, {Span(rows)}. " +
            string.Join(" ", rows.Select(r => $"{PeriodOf(r)}: {(r.Value is { } v ? Figure(v, definition.Unit) : "not published")}.")));
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
            canvas.Band(rows.Select((r, i) => r is { LowerCi: { } lo, UpperCi: { } hi } ? (X(i), y.Map(lo), y.Map(hi)) : ((double, double, double)?)null),
                Colours.PaleBlue, "interval");
        if (definition.Benchmark is { } benchmark)
        {
            canvas.Line(left, y.Map(benchmark), right, y.Map(benchmark), Colours.Text, 1.5, "6 4", "benchmark");
            canvas.Text(right, y.Map(benchmark) - 6, $"Benchmark {Figure(benchmark, definition.Unit)}", 13, "end");
        }
        canvas.Polyline(rows.Select((r, i) => r.Value is { } v ? (X(i), y.Map(v)) : ((double, double)?)null), Colours.Blue, 2.5, cssClass: "series");
        canvas.Open("points");
        for (var i = 0; i < rows.Count; i++)
            if (rows[i].Value is { } v)
            {
                canvas.Open("point", $"{PeriodOf(rows[i])}: {Figure(v, definition.Unit)}{Interval(rows[i], definition.Unit)}");
                canvas.Marker(X(i), y.Map(v), Shape.Circle, Colours.Blue, 4.5).Close();
            }
        canvas.Close();
        return canvas.ToString();
    }

    /// <summary>An XmR chart in the Making Data Count style, with its variation and assurance icons.</summary>
    public static string Spc(IndicatorDefinition definition, SpcSeries series, double? target, long version)
    {
        var points = series.Months;
        var hidden = points.Count(m => m.Value is null);
        var withLimits = points.Any(m => m.UpperLimit is not null);
        var text = new ChartText($"{definition.Name}: statistical process control",
            $"{series.OrganisationName}. " + (points.Count == 0 ? "No months" : $"Monthly, {points[0].Period} to {points[^1].Period}"),
            Notes(ChartText.Hidden(hidden, "month", "no figure to publish (none, or too few under the small-number rules); a gap breaks runs"),
                withLimits ? "Solid line: mean. Dashed lines: process limits (mean ± 2.66 × mean moving range)." : "Fewer than 12 months with values: no process limits yet.",
                target is { } t ? $"Red dashed line: target {Figure(t, definition.Unit)}." : null,
                "Markers: grey circle common cause; blue circle improvement; orange diamond concern; purple square neither better nor worse."), version);
        var (left, right, top, bottom) = (84.0, Width - 40, ChartText.Top + 56, ChartText.Top + 56 + 300);
        var canvas = new SvgCanvas(Width, bottom + 50 + text.FooterHeight, text.Title,
            $"SPC chart of {definition.Name} for {series.OrganisationName}. Variation: {Words(series.Variation)}. Assurance: {Words(series.Assurance)}. " +
            string.Join(" ", points.Select(m => $"{m.Period}: {(m.Value is { } v ? $"{Figure(v, definition.Unit)}, {Words(m.State)}" : "not published")}.")));
        text.Draw(canvas, 20);
        Icon(canvas, Width - 150, 92, VariationColour(series.Variation), VariationLetter(series.Variation, definition.Polarity), "Variation", Words(series.Variation), "icon variation");
        Icon(canvas, Width - 60, 92, AssuranceColour(series.Assurance), AssuranceLetter(series.Assurance), "Assurance", Words(series.Assurance), "icon assurance");

        var values = points.SelectMany(m => new[] { m.Value, m.LowerLimit, m.UpperLimit }).OfType<double>().Concat(target is { } g ? [g] : []);
        var (min, max) = Scale.Padded(values, fromZero: false);
        if (definition.Unit == Unit.Percent) (min, max) = (Math.Max(0, min), Math.Min(100, max));
        var y = new Scale(min, max, bottom, top, Whole: definition.Unit == Unit.Count);
        Axes.Left(canvas, y, left, right, UnitLabel(definition), Suffix(definition));
        var step = (right - left) / Math.Max(1, points.Count);
        double X(int i) => left + (i + 0.5) * step;
        PeriodLabels(canvas, points.Select(m => m.Period).ToList(), X, bottom);

        canvas.Polyline(points.Select((m, i) => m.UpperLimit is { } u ? (X(i), y.Map(u)) : ((double, double)?)null), Colours.Grey, 1.5, "6 4", "upper-limit");
        canvas.Polyline(points.Select((m, i) => m.LowerLimit is { } l ? (X(i), y.Map(l)) : ((double, double)?)null), Colours.Grey, 1.5, "6 4", "lower-limit");
        canvas.Polyline(points.Select((m, i) => m.Mean is { } mean ? (X(i), y.Map(mean)) : ((double, double)?)null), Colours.Text, 1.5, cssClass: "mean");
        if (target is { } goal) canvas.Line(left, y.Map(goal), right, y.Map(goal), Colours.Red, 1.5, "3 3", "target");
        canvas.Polyline(points.Select((m, i) => m.Value is { } v ? (X(i), y.Map(v)) : ((double, double)?)null), Colours.Grey, 1.5, cssClass: "series");
        canvas.Open("points");
        for (var i = 0; i < points.Count; i++)
            if (points[i].Value is { } v)
            {
                var (shape, colour) = StateMark(points[i].State);
                canvas.Open($"point state-{CsvName(points[i].State)}", $"{points[i].Period}: {Figure(v, definition.Unit)}, {Words(points[i].State)}");
                canvas.Marker(X(i), y.Map(v), shape, colour, points[i].State is PointState.CommonCause ? 4 : 5.5).Close();
            }
        canvas.Close();
        return canvas.ToString();
    }

    /// <summary>
    /// The equality picture for one period as a forest plot: each known ethnic group's representation ratio and its
    /// outcome rate ratio against the reference group, with intervals on a log scale and the line at 1; ethnicity not
    /// known is shown beside, never hidden.
    /// </summary>
    public static string Forest(EqualityReportView report, EqualityPeriod period, string outcomeName)
    {
        var access = period.Access.Groups;
        var outcome = period.Outcome.Groups.ToDictionary(g => g.Group);
        var rows = access.Select(a => a.Group).ToList();
        var unknownWords = period.Unknown.SharePct is { } share
            ? $"Ethnicity not known or not stated: {share.ToString("0.#", Invariant)}% of people accessing, not in the ratios."
            : period.Unknown.Suppressed ? "Ethnicity not known or not stated: too few to publish." : "Ethnicity not known or not stated: none.";
        var drawnAccess = access.Count(a => a.RepresentationRatio is not null);
        var drawnOutcome = rows.Count(g => outcome.TryGetValue(g, out var o) && (o.RateRatio is not null || g == period.Outcome.ReferenceGroup));
        var text = new ChartText("Equality of access and outcomes by ethnic group", $"{report.OrganisationName}. {period.Period}",
            Notes(unknownWords,
                ChartText.Hidden(rows.Count - drawnAccess, "representation ratio", "too few to publish, or no population loaded"),
                ChartText.Hidden(rows.Count - drawnOutcome, "rate ratio", "too few to publish"),
                $"Squares: ratio; lines: 95% interval; log scale; 1 means equal. Outcome: {outcomeName}, against {period.Outcome.ReferenceGroup}."),
            report.DataVersion);
        const double rowHeight = 34, names = 170;
        var (top, panelGap) = (ChartText.Top + 40, 40.0);
        var bottom = top + rows.Count * rowHeight;
        var panelWidth = (Width - names - 30 - panelGap) / 2;
        var canvas = new SvgCanvas(Width, bottom + 56 + text.FooterHeight, text.Title,
            $"Forest plot for {report.OrganisationName}, {period.Period}. " + string.Join(" ", rows.Select(g =>
                $"{GroupName(g)}: representation ratio {Ratio(access.First(a => a.Group == g).RepresentationRatio)}, rate ratio {Ratio(outcome.GetValueOrDefault(g)?.RateRatio)}.")) +
            " " + unknownWords);
        text.Draw(canvas, 20);

        var accessValues = access.SelectMany(a => new[] { a.RepresentationRatio, a.LowerCi, a.UpperCi });
        var outcomeValues = outcome.Values.SelectMany(o => new[] { o.RateRatio, o.RateRatioLowerCi, o.RateRatioUpperCi });
        var panels = new[]
        {
            (Title: "Access: representation ratio", Scale: LogScale(accessValues, names, names + panelWidth), Class: "representation"),
            (Title: "Outcome: rate ratio", Scale: LogScale(outcomeValues, names + panelWidth + panelGap, names + 2 * panelWidth + panelGap), Class: "outcome"),
        };
        foreach (var panel in panels)
        {
            canvas.Text(panel.Scale.From, top - 12, panel.Title, 14, bold: true);
            Axes.Bottom(canvas, panel.Scale, top, bottom, "Ratio (log scale)");
            canvas.Line(panel.Scale.Map(1), top, panel.Scale.Map(1), bottom, Colours.Text, 1.5, cssClass: "line-at-one");
        }
        for (var i = 0; i < rows.Count; i++)
        {
            var group = rows[i];
            var cy = top + (i + 0.5) * rowHeight;
            canvas.Open("group", data: $"data-group=\"{group}\"");
            canvas.Text(names - 10, cy + 5, GroupName(group), 14, "end");
            var a = access[i];
            Estimate(canvas, panels[0].Scale, cy, a.RepresentationRatio, a.LowerCi, a.UpperCi, $"{GroupName(group)}: representation ratio", "representation");
            var o = outcome.GetValueOrDefault(group);
            if (group == period.Outcome.ReferenceGroup)
            {
                canvas.Open("estimate outcome reference", $"{GroupName(group)}: the reference group (rate ratio 1)");
                canvas.Marker(panels[1].Scale.Map(1), cy, Shape.Diamond, Colours.Text, 5).Close();
            }
            else Estimate(canvas, panels[1].Scale, cy, o?.RateRatio, o?.RateRatioLowerCi, o?.RateRatioUpperCi, $"{GroupName(group)}: rate ratio", "outcome");
            canvas.Close();
        }
        return canvas.ToString();
    }

    /// <summary>A league table: each organisation's value as a bar with its interval, highest first, and the benchmark.</summary>
    public static string League(IndicatorDefinition definition, string scope, IReadOnlyList<IndicatorValue> rows, long version)
    {
        var shown = rows.Where(r => r.Value is not null).OrderByDescending(r => r.Value).ToList();
        var hidden = rows.Where(r => r.Value is null).Select(r => r.OrganisationName).ToList();
        var text = new ChartText($"{definition.Name}: league table", $"{Capital(scope)}. {(rows.Count == 0 ? "" : rows[0].Period)}",
            Notes(hidden.Count is 0 or > 5 ? ChartText.Hidden(hidden.Count, "organisation", "no figure to publish (none, or too few under the small-number rules)")
                    : $"Not drawn, no figure to publish (none, or too few under the small-number rules): {string.Join(", ", hidden.Select(ShortName))}.",
                definition.Unit == Unit.Percent ? "Bars: value; lines: 95% confidence interval (Wilson)." : null,
                definition.Benchmark is { } b ? $"Dashed line: benchmark {Figure(b, definition.Unit)}." : null), version);
        const double rowHeight = 28, names = 250;
        var top = ChartText.Top + 10;
        var bottom = top + Math.Max(1, shown.Count) * rowHeight;
        var canvas = new SvgCanvas(Width, bottom + 56 + text.FooterHeight, text.Title,
            $"Bar chart of {definition.Name} for {scope}, {(rows.Count == 0 ? "" : rows[0].Period)}, highest first. " +
            string.Join(" ", shown.Select(r => $"{r.OrganisationName}: {Figure(r.Value!.Value, definition.Unit)}{Interval(r, definition.Unit)}.")));
        text.Draw(canvas, 20);
        var values = shown.SelectMany(r => new[] { r.Value, r.UpperCi }).OfType<double>().Append(definition.Benchmark ?? 0);
        var (_, max) = Scale.Padded(values);
        var x = new Scale(0, definition.Unit == Unit.Percent ? Math.Min(100, max) : max, names, Width - 40, Whole: definition.Unit == Unit.Count);
        Axes.Bottom(canvas, x, top, bottom, UnitLabel(definition), Suffix(definition));
        canvas.Open("bars");
        for (var i = 0; i < shown.Count; i++)
        {
            var r = shown[i];
            var cy = top + (i + 0.5) * rowHeight;
            canvas.Open("bar", $"{r.OrganisationName}: {Figure(r.Value!.Value, definition.Unit)}{Interval(r, definition.Unit)}");
            canvas.Text(names - 10, cy + 5, Shorten(ShortName(r.OrganisationName), 34), 13, "end");
            canvas.Rect(x.From, cy - 9, x.Map(r.Value.Value) - x.From, 18, Colours.Blue);
            if (r is { LowerCi: { } lo, UpperCi: { } hi })
            {
                canvas.Line(x.Map(lo), cy, x.Map(hi), cy, Colours.Text, 1.5);
                canvas.Line(x.Map(lo), cy - 6, x.Map(lo), cy + 6, Colours.Text, 1.5).Line(x.Map(hi), cy - 6, x.Map(hi), cy + 6, Colours.Text, 1.5);
            }
            canvas.Close();
        }
        canvas.Close();
        if (definition.Benchmark is { } benchmark)
            canvas.Line(x.Map(benchmark), top - 4, x.Map(benchmark), bottom, Colours.Text, 1.5, "6 4", "benchmark");
        return canvas.ToString();
    }

    /// <summary>A funnel plot: each peer's proportion against its denominator, England's proportion and the 95% and 99.8% limits.</summary>
    public static string Funnel(IndicatorDefinition definition, FunnelReport report, string scope)
    {
        var shown = report.Points.Where(p => p.Value is not null && p.Denominator is > 0).ToList();
        var hidden = report.Points.Count - shown.Count;
        var text = new ChartText($"{definition.Name}: funnel plot", $"{Capital(scope)}. {report.Period}",
            Notes(ChartText.Hidden(hidden, "organisation", "no figure to publish (none, or too few under the small-number rules)"),
                report.ComparatorValue is { } c ? $"Centre line: England {Figure(c, Unit.Percent)}. Dashed: 95% limits; solid grey: 99.8% limits." : "No England figure to centre the funnel on.",
                "Markers: circle within the limits; triangle above; diamond below."), report.DataVersion);
        var (left, right, top, bottom) = (84.0, Width - 40, ChartText.Top + 14, ChartText.Top + 14 + 320);
        var canvas = new SvgCanvas(Width, bottom + 56 + text.FooterHeight, text.Title,
            $"Funnel plot of {definition.Name}, {report.Period}, {scope}. " +
            string.Join(" ", shown.Select(p => $"{p.Name}: {Figure(p.Value!.Value, Unit.Percent)} of {p.Denominator}, {Words(p.Position)}.")));
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
        if (report.ComparatorValue is { } centre) canvas.Line(left, y.Map(centre), right, y.Map(centre), Colours.DarkBlue, 1.5, cssClass: "centre");
        canvas.Open("points");
        foreach (var p in shown)
        {
            var (shape, colour) = FunnelMark(p.Position, definition.Polarity);
            var (px, py) = (x.Map(p.Denominator!.Value), y.Map(Math.Clamp(p.Value!.Value, y.Min, y.Max)));
            canvas.Open($"point position-{CsvName(p.Position)}", $"{p.Name}: {Figure(p.Value.Value, Unit.Percent)} of {p.Denominator}, {Words(p.Position)}");
            canvas.Marker(px, py, shape, colour, 5.5);
            if (p.Position is FunnelPosition.Above998 or FunnelPosition.Below998) canvas.Text(px + 8, py - 6, p.Code, 12);
            canvas.Close();
        }
        canvas.Close();
        return canvas.ToString();
    }

    /// <summary>Which returns came in: providers down, months across, each cell a word's first letter as well as a colour.</summary>
    public static string Completeness(CompletenessReport report, string scope)
    {
        var months = report.Providers.Select(p => p.Period).Distinct().Order(StringComparer.Ordinal).ToList();
        var providers = report.Providers.GroupBy(p => (p.ProviderCode, p.ProviderName)).OrderBy(g => g.Key.ProviderName, StringComparer.Ordinal).ToList();
        var text = new ChartText("Monthly returns: on time, late or missing", $"{scope}. " + (months.Count == 0 ? "" : $"{months[0]} to {months[^1]}"),
            ["Letters: O on time, L late, R rejected only (nothing accepted), M missing, D not yet due."], report.DataVersion);
        const double names = 250, rowHeight = 26;
        var cell = Math.Min(60, (Width - names - 30) / Math.Max(1, months.Count));
        var top = ChartText.Top + 34;
        var bottom = top + Math.Max(1, providers.Count) * rowHeight;
        var canvas = new SvgCanvas(Width, bottom + 24 + text.FooterHeight, text.Title,
            $"Grid of monthly returns for {scope}. " + string.Join(" ", providers.Select(g =>
                $"{g.Key.ProviderName}: {string.Join(", ", g.OrderBy(p => p.Period, StringComparer.Ordinal).Select(p => $"{p.Period} {StatusWords(p)}"))}.")));
        text.Draw(canvas, 20);
        for (var m = 0; m < months.Count; m++)
            canvas.Text(names + (m + 0.5) * cell, top - 8, MonthShort(months[m]), 12, "middle", fill: Colours.Secondary);
        for (var i = 0; i < providers.Count; i++)
        {
            var y = top + i * rowHeight;
            canvas.Open("provider", data: $"data-provider=\"{providers[i].Key.ProviderCode}\"");
            canvas.Text(names - 10, y + rowHeight / 2 + 5, Shorten(providers[i].Key.ProviderName, 32), 13, "end");
            foreach (var p in providers[i])
            {
                var m = months.IndexOf(p.Period);
                var (fill, ink, letter) = StatusMark(p);
                canvas.Open($"cell status-{(p.Status == "missing" && !p.PastDue ? "not_yet_due" : p.Status)}", $"{p.ProviderName}, {p.Period}: {StatusWords(p)}");
                canvas.Rect(names + m * cell + 1, y + 1, cell - 2, rowHeight - 2, fill, Colours.PaleGrey);
                canvas.Text(names + (m + 0.5) * cell, y + rowHeight / 2 + 5, letter, 13, "middle", bold: true, fill: ink).Close();
            }
            canvas.Close();
        }
        return canvas.ToString();
    }

    /// <summary>A provider's fidelity reviews over time: each review's total, external and self apart, with the bands' thresholds drawn.</summary>
    public static string FidelityHistory(string provider, IReadOnlyList<Fidelity.FidelityReview> reviews)
    {
        var text = new ChartText("Fidelity review totals over time", provider,
            ["Circles: external reviews; squares: self reviews. Dashed lines: the bands (fair from 74, good from 100, exemplary from 115).",
             "The quality mark needs good fidelity (100 or more) in an external review."], null);
        var (left, right, top, bottom) = (84.0, Width - 40, ChartText.Top + 14, ChartText.Top + 14 + 280);
        var canvas = new SvgCanvas(Width, bottom + 50 + text.FooterHeight, text.Title,
            $"Fidelity review totals for {provider}: " + string.Join(" ", reviews.Select(r => $"{r.ReviewDate:yyyy-MM-dd} {r.Kind} review, {r.Total} ({Words(r.Band)}).")));
        text.Draw(canvas, 20);
        var y = new Scale(25, 125, bottom, top, Whole: true);
        Axes.Left(canvas, y, left, right, "Total (25 to 125)");
        foreach (var (threshold, band) in new[] { (74, "fair"), (100, "good"), (115, "exemplary") })
        {
            canvas.Line(left, y.Map(threshold), right, y.Map(threshold), Colours.Secondary, 1, "6 4", "band-threshold");
            canvas.Text(right, y.Map(threshold) - 5, $"{band} from {threshold}", 12, "end", fill: Colours.Secondary);
        }
        var dates = reviews.Select(r => r.ReviewDate.DayNumber).ToList();
        var (first, last) = dates.Count == 0 ? (0, 1) : (dates.Min() - 60, dates.Max() + 60);
        var x = new Scale(first, last, left + 10, right - 10);
        foreach (var external in new[] { true, false })
            canvas.Polyline(reviews.Where(r => (r.Kind == "external") == external).Select(r => ((double, double)?)(x.Map(r.ReviewDate.DayNumber), y.Map(r.Total))),
                external ? Colours.Blue : Colours.Grey, 2, external ? null : "4 3", external ? "series external" : "series self");
        canvas.Open("points");
        foreach (var r in reviews)
        {
            canvas.Open($"point kind-{r.Kind}", $"{r.ReviewDate:yyyy-MM-dd}, {r.Kind} review: {r.Total} ({Words(r.Band)})");
            canvas.Marker(x.Map(r.ReviewDate.DayNumber), y.Map(r.Total), r.Kind == "external" ? Shape.Circle : Shape.Square, r.Kind == "external" ? Colours.Blue : Colours.Grey, 5.5);
            canvas.Text(x.Map(r.ReviewDate.DayNumber), bottom + 20, r.ReviewDate.ToString("MMM yyyy", Invariant), 12, "middle", fill: Colours.Secondary).Close();
        }
        canvas.Close();
        return canvas.ToString();
    }

    /// <summary>One review's 25 items as bars from 1 to 5, in the scale's order by section: where a service is strong and where it falls short.</summary>
    public static string FidelityItems(string provider, Fidelity.FidelityReview review)
    {
        var text = new ChartText($"Fidelity items, {review.Kind} review of {review.ReviewDate:d MMMM yyyy}", $"{provider}. Total {review.Total} ({Words(review.Band)})",
            ["Each item scored 1 to 5. Dashed line: 4, the score the quality mark asks of O1, O2 (integration) and V6, V7 (employer engagement).",
             "Orange bars: items scored under 4."], null);
        const double rowHeight = 20, names = 330;
        var top = ChartText.Top + 10;
        var bottom = top + Fidelity.FidelityScale.Items.Count * rowHeight;
        var canvas = new SvgCanvas(Width, bottom + 56 + text.FooterHeight, text.Title,
            $"Item scores of the {review.Kind} review of {provider} on {review.ReviewDate:yyyy-MM-dd}: " +
            string.Join(" ", Fidelity.FidelityScale.Items.Select(i => $"{i.Code} {i.Name}: {review.Scores.GetValueOrDefault(i.Code)}.")));
        text.Draw(canvas, 20);
        var x = new Scale(0, 5, names, Width - 40, Whole: true);
        Axes.Bottom(canvas, x, top, bottom, "Score");
        canvas.Open("bars");
        for (var i = 0; i < Fidelity.FidelityScale.Items.Count; i++)
        {
            var item = Fidelity.FidelityScale.Items[i];
            var score = review.Scores.GetValueOrDefault(item.Code);
            var cy = top + (i + 0.5) * rowHeight;
            canvas.Open($"bar item-{item.Code}", $"{item.Code} {item.Name}: {score}");
            canvas.Text(names - 8, cy + 4, Shorten($"{item.Code} {item.Name}", 52), 11, "end");
            canvas.Rect(x.From, cy - 7, x.Map(score) - x.From, 14, score < 4 ? Colours.Orange : Colours.Blue);
            canvas.Close();
        }
        canvas.Close();
        canvas.Line(x.Map(4), top - 4, x.Map(4), bottom, Colours.Text, 1.5, "6 4", "item-threshold");
        return canvas.ToString();
    }

    /// <summary>Fidelity beside outcomes: each provider's latest external total against its employment rate, with the lines at 100 and at 43%.</summary>
    public static string FidelityOutcomes(string scope, Fidelity.FidelityOutcomes outcomes)
    {
        var shown = outcomes.Providers.Where(p => p.EmploymentRate is not null).ToList();
        var c = outcomes.Correlation;
        var text = new ChartText("Fidelity and employment", scope, Notes(
            ChartText.Hidden(outcomes.Providers.Count - shown.Count, "provider", "no employment rate to publish"),
            c.Rho is { } rho ? $"Spearman's rank correlation {rho:0.00}" + (c.Lower is { } lo && c.Upper is { } hi ? $" (95% interval {lo:0.00} to {hi:0.00}), {c.N} providers." : $", {c.N} providers (an interval needs 4).")
                : "Too few providers to correlate.",
            "Dashed lines: good fidelity (100) and the 43% employment rate good fidelity is associated with."), outcomes.DataVersion);
        var (left, right, top, bottom) = (84.0, Width - 40, ChartText.Top + 14, ChartText.Top + 14 + 320);
        var canvas = new SvgCanvas(Width, bottom + 56 + text.FooterHeight, text.Title,
            $"Scatter of fidelity total against employment rate, {scope}: " + string.Join(" ", shown.Select(p => $"{p.ProviderName}: {p.Total}, {Figure(p.EmploymentRate!.Value, Unit.Percent)}.")));
        text.Draw(canvas, 20);
        var x = new Scale(25, 125, left, right, Whole: true);
        var (_, max) = Scale.Padded(shown.Select(p => p.EmploymentRate!.Value).Append(50));
        var y = new Scale(0, Math.Min(100, max), bottom, top);
        Axes.Left(canvas, y, left, right, "Employment rate", "%");
        Axes.Bottom(canvas, x, top, bottom, "Fidelity total (latest external review)");
        canvas.Line(x.Map(100), top, x.Map(100), bottom, Colours.Secondary, 1, "6 4", "threshold-fidelity");
        canvas.Line(left, y.Map(43), right, y.Map(43), Colours.Secondary, 1, "6 4", "threshold-rate");
        canvas.Open("points");
        foreach (var p in shown)
        {
            canvas.Open($"point band-{CsvName(p.Band)}", $"{p.ProviderName}: total {p.Total} ({Words(p.Band)}), employment rate {Figure(p.EmploymentRate!.Value, Unit.Percent)}");
            canvas.Marker(x.Map(p.Total), y.Map(p.EmploymentRate.Value), p.Band >= Fidelity.FidelityBand.Good ? Shape.Circle : Shape.Diamond,
                p.Band >= Fidelity.FidelityBand.Good ? Colours.Blue : Colours.Orange, 5.5).Close();
        }
        canvas.Close();
        return canvas.ToString();
    }

    private static void Estimate(SvgCanvas canvas, Scale scale, double cy, double? ratio, double? lower, double? upper, string what, string cssClass)
    {
        if (ratio is not { } r)
        {
            canvas.Text(scale.Map(1) + 6, cy + 5, "not shown", 12, fill: Colours.Secondary);
            return;
        }
        canvas.Open($"estimate {cssClass}", $"{what} {Ratio(r)}{(lower is { } l && upper is { } u ? $" (95% CI {Ratio(l)} to {Ratio(u)})" : "")}");
        if (lower is { } lo && upper is { } hi) canvas.Line(scale.Map(lo), cy, scale.Map(hi), cy, Colours.Text, 2);
        canvas.Marker(scale.Map(r), cy, Shape.Square, Colours.Blue, 5.5).Close();
    }

    private static Scale LogScale(IEnumerable<double?> values, double from, double to)
    {
        var present = values.OfType<double>().Where(v => v > 0 && double.IsFinite(v)).ToList();
        var (low, high) = (Math.Min(0.5, present.DefaultIfEmpty(1).Min()), Math.Max(2, present.DefaultIfEmpty(1).Max()));
        // The widest range a ratio is drawn over; an interval beyond it is cut at the edge.
        return new Scale(Math.Max(0.1, low * 0.9), Math.Min(10, high * 1.1), from, to, Log: true);
    }

    private static void Icon(SvgCanvas canvas, double x, double y, string fill, string letter, string what, string words, string cssClass)
    {
        canvas.Open(cssClass, $"{what}: {words}");
        canvas.Marker(x, y - 8, Shape.Circle, fill, 17);
        canvas.Text(x, y - 2, letter, 16, "middle", bold: true, fill: "#ffffff");
        canvas.Text(x, y + 24, what, 11, "middle", fill: Colours.Secondary).Close();
    }

    private static void PeriodLabels(SvgCanvas canvas, IReadOnlyList<string> labels, Func<int, double> x, double bottom)
    {
        // At most about eight labels, always the last.
        var every = Math.Max(1, (int)Math.Ceiling(labels.Count / 8.0));
        canvas.Open("axis axis-x");
        for (var i = 0; i < labels.Count; i++)
            if ((labels.Count - 1 - i) % every == 0) canvas.Text(x(i), bottom + 20, labels[i], 13, "middle", fill: Colours.Secondary);
        canvas.Close();
    }

    private static List<string> Notes(params string?[] notes) => notes.OfType<string>().ToList();

    private static string PeriodOf(IndicatorValue row) =>
        row.PeriodType is "rolling12" or "fytd" ? row.PeriodEnd.ToString("yyyy-MM", Invariant) : row.Period;

    private static string Span(IReadOnlyList<IndicatorValue> rows) => rows.Count == 0 ? "No periods"
        : rows[0].PeriodType is "rolling12" or "fytd" ? $"{Label(rows[0].PeriodType)} ending {PeriodOf(rows[0])} to {PeriodOf(rows[^1])}"
        : $"{Label(rows[0].PeriodType)}, {rows[0].Period} to {rows[^1].Period}";

    private static string Label(string? periodType) => periodType switch
    {
        "month" => "Monthly", "quarter" => "Quarterly", "fytd" => "Financial year to date", "rolling12" => "Rolling 12 months", _ => "By period",
    };

    private static string Suffix(IndicatorDefinition definition) => definition.Unit == Unit.Percent ? "%" : "";

    private static string UnitLabel(IndicatorDefinition definition) => definition.Unit switch
    {
        Unit.Percent => "Percent", Unit.Days => "Days (median)", _ => "Number",
    };

    /// <summary>A figure as the charts and the pages write it: a percentage to one place, days, or a whole count.</summary>
    public static string Figure(double value, Unit unit) => unit switch
    {
        Unit.Percent => value.ToString("0.#", Invariant) + "%",
        Unit.Days => value.ToString("0.#", Invariant) + " days",
        _ => value.ToString("#,0", Invariant),
    };

    private static string Interval(IndicatorValue row, Unit unit) =>
        row is { LowerCi: { } lo, UpperCi: { } hi } ? $" (95% CI {Figure(lo, unit)} to {Figure(hi, unit)})" : "";

    private static string Ratio(double? ratio) => ratio is { } r ? r.ToString("0.00", Invariant) : "not shown";

    private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>An organisation's name short enough for a chart's margin: "NHS West Yorkshire Integrated Care Board" is "West Yorkshire ICB".</summary>
    private static string ShortName(string name) =>
        (name.StartsWith("NHS ", StringComparison.Ordinal) ? name[4..] : name).Replace("Integrated Care Board", "ICB", StringComparison.Ordinal);

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    private static string CsvName(Enum? value) => value is null ? "none" : Infrastructure.CsvOutput.SnakeCase(value);

    public static string GroupName(string group) => group switch
    {
        "white" => "White", "mixed" => "Mixed", "asian" => "Asian or Asian British", "black" => "Black or Black British", "other" => "Other ethnic group",
        "white_british" => "White British", "other_than_white_british" => "Other than White British",
        "not_stated" => "Not stated", "not_known" => "Not known",
        _ => group.Length <= 2 ? $"Category {group}" : group,
    };

    private static string MonthShort(string period) =>
        DateOnly.ParseExact(period + "-01", "yyyy-MM-dd", Invariant).ToString("MMM yy", Invariant);

    private static (string Fill, string Ink, string Letter) StatusMark(ProviderCompleteness p) => p.Status switch
    {
        "on_time" => (Colours.Green, "#ffffff", "O"),
        "late" => (Colours.Yellow, Colours.Text, "L"),
        "rejected_only" => (Colours.Orange, Colours.Text, "R"),
        "missing" when p.PastDue => (Colours.Red, "#ffffff", "M"),
        _ => ("#ffffff", Colours.Secondary, "D"),
    };

    private static string StatusWords(ProviderCompleteness p) => p.Status switch
    {
        "on_time" => "on time", "late" => "late", "rejected_only" => "rejected only", "missing" when p.PastDue => "missing", _ => "not yet due",
    };

    private static (Shape, string) StateMark(PointState? state) => state switch
    {
        PointState.Improvement => (Shape.Circle, Colours.Blue),
        PointState.Concern => (Shape.Diamond, Colours.Orange),
        PointState.NeutralHigh or PointState.NeutralLow => (Shape.Square, Colours.Purple),
        _ => (Shape.Circle, Colours.Grey),
    };

    private static (Shape, string) FunnelMark(FunnelPosition? position, Polarity polarity)
    {
        var above = position is FunnelPosition.Above95 or FunnelPosition.Above998;
        var below = position is FunnelPosition.Below95 or FunnelPosition.Below998;
        var good = polarity == Polarity.HigherIsBetter ? above : polarity == Polarity.LowerIsBetter && below;
        var bad = polarity == Polarity.HigherIsBetter ? below : polarity == Polarity.LowerIsBetter && above;
        var colour = good ? Colours.Blue : bad ? Colours.Orange : above || below ? Colours.Purple : Colours.Grey;
        return (above ? Shape.Triangle : below ? Shape.Diamond : Shape.Circle, colour);
    }

    private static string VariationColour(PointState? state) => StateMark(state).Item2;

    private static string VariationLetter(PointState? state, Polarity polarity) => state switch
    {
        PointState.NeutralHigh => "H",
        PointState.NeutralLow => "L",
        PointState.Improvement => polarity == Polarity.LowerIsBetter ? "L" : "H",
        PointState.Concern => polarity == Polarity.LowerIsBetter ? "H" : "L",
        _ => "~",
    };

    private static string AssuranceColour(Assurance? assurance) => assurance switch
    {
        Assurance.ConsistentlyPasses => Colours.Blue, Assurance.ConsistentlyFails => Colours.Orange, _ => Colours.Grey,
    };

    private static string AssuranceLetter(Assurance? assurance) => assurance switch
    {
        Assurance.ConsistentlyPasses => "P", Assurance.ConsistentlyFails => "F", Assurance.HitAndMiss => "?", _ => "–",
    };

    public static string Words(Enum? value) => value switch
    {
        null => "not available",
        PointState.CommonCause => "common cause variation",
        PointState.Improvement => "special cause improvement",
        PointState.Concern => "special cause concern",
        PointState.NeutralHigh => "special cause, higher (neither better nor worse)",
        PointState.NeutralLow => "special cause, lower (neither better nor worse)",
        Fidelity.FidelityBand.NotIps => "not IPS",
        Fidelity.FidelityBand.Fair => "fair fidelity",
        Fidelity.FidelityBand.Good => "good fidelity",
        Fidelity.FidelityBand.Exemplary => "exemplary fidelity",
        Assurance.ConsistentlyPasses => "consistently passes the target",
        Assurance.ConsistentlyFails => "consistently fails the target",
        Assurance.HitAndMiss => "hits and misses the target at random",
        FunnelPosition.Within => "within the 95% limits",
        FunnelPosition.Above95 => "above the 95% limit",
        FunnelPosition.Above998 => "above the 99.8% limit",
        FunnelPosition.Below95 => "below the 95% limit",
        FunnelPosition.Below998 => "below the 99.8% limit",
        _ => Infrastructure.CsvOutput.SnakeCase(value).Replace('_', ' '),
    };
}
