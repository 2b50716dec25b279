using IpsOutcomes.Fidelity;
using static IpsOutcomes.Charts.ChartFrame;

namespace IpsOutcomes.Charts;

/// <summary>A provider's fidelity review totals over time. Drawn by <see cref="Draw"/> as a pure function of the figures the API
/// serves.</summary>
public static class FidelityHistoryChart
{
    /// <summary>A provider's fidelity reviews over time: each review's total, external and self apart, with the bands' thresholds
    /// drawn.</summary>
    public static string Draw(string provider, IReadOnlyList<Fidelity.FidelityReview> reviews)
    {
        var text = new ChartText("Fidelity review totals over time", provider,
            [$"Circles: external reviews; squares: self reviews. Dashed lines: the bands (fair from {FidelityScale.FairFrom}, good from {FidelityScale.GoodFrom}, exemplary from {FidelityScale.ExemplaryFrom}).",
             $"The quality mark needs good fidelity ({FidelityScale.GoodFrom} or more) in an external review."], null);
        var (left, right, top, bottom) = (84.0, Width - 40, ChartText.Top + 14, ChartText.Top + 14 + 280);
        var canvas = new SvgCanvas(Width, bottom + 50 + text.FooterHeight, text.Title,
            $"Fidelity review totals for {provider}: " + string.Join(" ", reviews.Select(r => $"{r.ReviewDate:yyyy-MM-dd} {r.Kind} review, {r.Total} ({Words(r.Band)}).")));
        text.Draw(canvas, 20);
        var y = new Scale(25, 125, bottom, top, Whole: true);
        Axes.Left(canvas, y, left, right, "Total (25 to 125)");
        foreach (var (threshold, band) in new[] { (FidelityScale.FairFrom, "fair"), (FidelityScale.GoodFrom, "good"),
            (FidelityScale.ExemplaryFrom, "exemplary") })
        {
            canvas.Line(left, y.Map(threshold), right, y.Map(threshold), Colours.Secondary, 1, "6 4", "band-threshold");
            canvas.Text(right, y.Map(threshold) - 5, $"{band} from {threshold}", 12, "end", fill: Colours.Secondary);
        }
        var dates = reviews.Select(r => r.ReviewDate.DayNumber).ToList();
        var (first, last) = dates.Count == 0 ? (0, 1) : (dates.Min() - 60, dates.Max() + 60);
        var x = new Scale(first, last, left + 10, right - 10);
        foreach (var external in new[] { true, false })
            canvas.Polyline(reviews.Where(r => (r.Kind == "external") == external)
                .Select(r => ((double, double)?)(x.Map(r.ReviewDate.DayNumber), y.Map(r.Total))), external ? Colours.Blue : Colours.Grey,
                    2, external ? null : "4 3", external ? "series external" : "series self");
        canvas.Open("points");
        foreach (var r in reviews)
        {
            canvas.Open($"point kind-{r.Kind}", $"{r.ReviewDate:yyyy-MM-dd}, {r.Kind} review: {r.Total} ({Words(r.Band)})");
            canvas.Marker(x.Map(r.ReviewDate.DayNumber), y.Map(r.Total), r.Kind == "external" ? Shape.Circle : Shape.Square,
                r.Kind == "external" ? Colours.Blue : Colours.Grey, 5.5);
            canvas.Text(x.Map(r.ReviewDate.DayNumber), bottom + 20, r.ReviewDate.ToString("MMM yyyy", Invariant), 12, "middle",
                fill: Colours.Secondary).Close();
        }
        canvas.Close();
        return canvas.ToString();
    }
}
