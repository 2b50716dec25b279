using IpsOutcomes.Fidelity;
using IpsOutcomes.Indicators;
using static IpsOutcomes.Charts.ChartFrame;

namespace IpsOutcomes.Charts;

/// <summary>Fidelity beside outcomes, as a scatter. Drawn by <see cref="Draw"/> as a pure function of the figures the API serves.</summary>
public static class FidelityOutcomesChart
{
    /// <summary>Fidelity beside outcomes: each provider's latest external total against its employment rate, with the lines at 100 and at
    /// 43%.</summary>
    public static string Draw(string scope, Fidelity.FidelityOutcomes outcomes)
    {
        var shown = outcomes.Providers.Where(p => p.EmploymentRate is not null).ToList();
        var c = outcomes.Correlation;
        var text = new ChartText("Fidelity and employment", scope, Notes(
            ChartText.Hidden(outcomes.Providers.Count - shown.Count, "provider", "no employment rate to publish"),
            c.Rho is { } rho ? $"Spearman's rank correlation {rho:0.00}" + (c.Lower is { } lo && c.Upper is { } hi ? $" (95% interval {lo:0.00} to {hi:0.00}), {c.N} providers." : $", {c.N} providers (an interval needs 4).")
                : "Too few providers to correlate.",
            $"Dashed lines: good fidelity ({FidelityScale.GoodFrom}) and the {FidelityBesideOutcomes.AssociatedEmploymentRate}% employment rate good fidelity is associated with."),
            outcomes.DataVersion);
        var (left, right, top, bottom) = (84.0, Width - 40, ChartText.Top + 14, ChartText.Top + 14 + 320);
        var canvas = new SvgCanvas(Width, bottom + 56 + text.FooterHeight, text.Title,
            $"Scatter of fidelity total against employment rate, {scope}: " + string.Join(" ", shown.Select(p => $"{p.ProviderName}: {p.Total}, {InUnit(p.EmploymentRate!.Value, Unit.Percent)}.")));
        text.Draw(canvas, 20);
        var x = new Scale(25, 125, left, right, Whole: true);
        var (_, max) = Scale.Padded(shown.Select(p => p.EmploymentRate!.Value).Append(50));
        var y = new Scale(0, Math.Min(100, max), bottom, top);
        Axes.Left(canvas, y, left, right, "Employment rate", "%");
        Axes.Bottom(canvas, x, top, bottom, "Fidelity total (latest external review)");
        canvas.Line(x.Map(FidelityScale.GoodFrom), top, x.Map(FidelityScale.GoodFrom), bottom, Colours.Secondary, 1, "6 4", "threshold-fidelity");
        canvas.Line(left, y.Map(FidelityBesideOutcomes.AssociatedEmploymentRate), right,
            y.Map(FidelityBesideOutcomes.AssociatedEmploymentRate), Colours.Secondary, 1, "6 4", "threshold-rate");
        canvas.Open("points");
        foreach (var p in shown)
        {
            canvas.Open($"point band-{CsvName(p.Band)}", $"{p.ProviderName}: total {p.Total} ({Words(p.Band)}), employment rate {InUnit(p.EmploymentRate!.Value, Unit.Percent)}");
            canvas.Marker(x.Map(p.Total), y.Map(p.EmploymentRate.Value),
                p.Band >= Fidelity.FidelityBand.Good ? Shape.Circle : Shape.Diamond,
                    p.Band >= Fidelity.FidelityBand.Good ? Colours.Blue : Colours.Orange, 5.5).Close();
        }
        canvas.Close();
        return canvas.ToString();
    }
}
