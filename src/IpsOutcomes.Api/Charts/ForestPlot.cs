using IpsOutcomes.Equality;
using IpsOutcomes.Indicators;
using static IpsOutcomes.Charts.ChartFrame;

namespace IpsOutcomes.Charts;

/// <summary>The equality report's forest plots. Drawn by <see cref="Draw"/> as a pure function of the figures the API serves.</summary>
public static class ForestPlot
{
    /// <summary>
    /// The equality picture for one period as a forest plot: each known ethnic group's representation ratio and its
    /// outcome rate ratio against the reference group, with intervals on a log scale and the line at 1; ethnicity not
    /// known is shown beside, never hidden.
    /// </summary>
    public static string Draw(EqualityReportView report, EqualityPeriod period, string outcomeName)
    {
        var access = period.Access.Groups;
        var outcome = period.Outcome.Groups.ToDictionary(g => g.Group);
        var rows = access.Select(a => a.Group).ToList();
        var unknownWords = period.Unknown.SharePct is { } share
            ? $"Ethnicity not known or not stated: {share.ToString("0.#", Invariant)}% of people accessing, not in the ratios."
            : period.Unknown.Suppressed ? "Ethnicity not known or not stated: too few to publish." : "Ethnicity not known or not stated: none.";
        var drawnAccess = access.Count(a => a.RepresentationRatio is not null);
        var drawnOutcome = rows.Count(g => outcome.TryGetValue(g, out var o)
            && (o.RateRatio is not null || g == period.Outcome.ReferenceGroup));
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
}
