using IpsOutcomes.Audit;
using IpsOutcomes.Charts;
using IpsOutcomes.Equality;
using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace IpsOutcomes.Pages.Commission;

/// <summary>
/// Equality (pages.md): each ethnic group's representation ratio and outcome rate ratio as forest plots, the
/// chi-squared results in words, Cochran's warning where it applies, and the unknown-ethnicity share beside every result.
/// </summary>
public sealed class EqualityModel(CommissionerServices services) : CommissionerPage(services)
{
    public EqualityReportView? Report { get; private set; }
    public EqualityPeriod? Period { get; private set; }
    public PageChart? Chart { get; private set; }

    /// <summary>How many people's ethnicity is unknown, and whether that is enough to bias the comparisons, in words.</summary>
    public string Unknown => Period?.Unknown is not { } unknown ? ""
        : (unknown.SharePct is { } share
            ? $"Ethnicity was not known or not stated for {PlainEnglish.InUnit(share, Unit.Percent)} of people accessing IPS. They are not in the ratios below."
            : unknown.Suppressed ? "The number of people whose ethnicity is not known is too small to publish." : "Ethnicity was recorded for everyone accessing IPS.")
          + (unknown.Warning is null ? "" : " That is enough to bias these comparisons.");

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await ChooseAsync(providers: true, ct) is { } refused) return refused;
        var code = Scope.Level == "england" ? null : Scope.Code;
        var request = new EqualityRequest(Scope.Level, code, "rolling12", Month, null, null, null, null, null, null, null);
        var (shown, answer) = await AnswerAsync(await Services.Equality.ReportAsync(request, Caller, HttpContext, ct));
        if (!shown) return Page();
        Report = answer.View;
        Period = Report.Periods[^1];
        var outcomes = Period.Outcome.Groups.ToDictionary(g => g.Group);
        Chart = new PageChart("forest", $"Access and employment by ethnic group, {Period.Period}",
            ForestPlot.Draw(Report, Period, IndicatorCatalogue.ById[Report.Indicator].Name), "forest", $"{ScopeQuery}&period_type=rolling12&month={Month}",
            "/api/v1/reports/equality",
            new(["Ethnic group", "People accessing", "Share of those accessing", "Share of the population", "Representation ratio (95% interval)",
                 "Employment rate", "Rate ratio (95% interval)"],
                Period.Access.Groups.Select(a =>
                {
                    var o = outcomes.GetValueOrDefault(a.Group);
                    return (IReadOnlyList<string>)[ChartFrame.GroupName(a.Group), PlainEnglish.Count(a.Accessed),
                        PlainEnglish.InUnit(a.AccessedSharePct, Unit.Percent), PlainEnglish.InUnit(a.PopulationSharePct, Unit.Percent),
                            Ratio(a.RepresentationRatio, a.LowerCi, a.UpperCi),
                        PlainEnglish.InUnit(o?.Rate, Unit.Percent),
                            a.Group == Period.Outcome.ReferenceGroup ? "reference group"
                            : Ratio(o?.RateRatio, o?.RateRatioLowerCi, o?.RateRatioUpperCi)];
                }).ToList()));
        return Page();
    }

    private static string Ratio(double? ratio, double? lower, double? upper) => ratio is not { } r ? "not shown"
        : $"{r:0.00}" + (lower is { } l && upper is { } u ? $" ({l:0.00} to {u:0.00})" : "");
}
