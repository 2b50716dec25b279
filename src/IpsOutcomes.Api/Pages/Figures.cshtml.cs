using System.Globalization;
using IpsOutcomes.Charts;
using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Submissions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IpsOutcomes.Pages;

/// <summary>
/// An IPS service's own indicators: the latest rolling year against the benchmarks, and the trend of the main ones.
/// Exact, because they are its own (comparisons.md); from the same indicator service as the API.
/// </summary>
public sealed class FiguresModel(IndicatorService indicators, SubmissionStore submissions) : PageModel
{
    private static readonly string[] Shown =
        ["referrals", "accessed", "caseload", "first_contact_within_30_days_pct", "people_into_work", "job_starts", "employment_rate",
         "rapid_job_search_pct", "job_sustained_13_weeks_pct", "ethnicity_recorded_pct"];

    public string? LatestMonth { get; private set; }
    public IReadOnlyList<IndicatorValue> Latest { get; private set; } = [];
    public IReadOnlyList<PageChart> Trends { get; private set; } = [];

    public string NameOf(string id) => IndicatorCatalogue.ById[id].Name;

    /// <summary>A row's value, or why there is none: hidden under the publication rules, or nothing yet to count.</summary>
    public static string Show(IndicatorValue row) => row.Value is null ? (row.Suppressed ? "not shown (fewer than 5)" : "none yet")
        : PlainEnglish.InUnit(row.Value, row.Unit);

    /// <summary>Against the benchmark with the indicator's polarity ("Better than the benchmark (40%)"), as the comparisons say
    /// it.</summary>
    public static string Against(IndicatorValue row) => row.Benchmark is not { } benchmark ? ""
        : PlainEnglish.Against(new ComparatorOutcome("benchmark", null, benchmark,
            Fingertips.Compare(row.LowerCi, row.UpperCi, benchmark, IndicatorCatalogue.ById[row.IndicatorId].Polarity)), row.Unit);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var caller = Caller.From(User)!;
        if (caller.Role != Role.Provider) return Forbid(PageSessions.Scheme);
        var organisations = await indicators.OrganisationsAsync(OrganisationLevel.Provider, caller.OrganisationCode, null, ct);
        LatestMonth = (await submissions.ListAsync(caller.OrganisationCode, null, null, SubmissionStatus.Accepted, 1, 1, ct))
            .FirstOrDefault()?.Period;
        if (organisations is null || LatestMonth is null) return Page();

        var to = Period.MonthIndex(DateOnly.ParseExact(LatestMonth + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture));
        var exact = IndicatorAccess.SeesOwnExact(caller, OrganisationLevel.Provider, caller.OrganisationCode, null);
        var rolling = await indicators.ComputeAsync(new IndicatorQuery(OrganisationLevel.Provider, caller.OrganisationCode, null,
            PeriodType.Rolling12, to - 11, to, Shown, Breakdown.None, exact), organisations, ct);
        var monthly = await indicators.ComputeAsync(new IndicatorQuery(OrganisationLevel.Provider, caller.OrganisationCode, null,
            PeriodType.Month, to - 11, to, ["referrals", "accessed", "people_into_work"], Breakdown.None, exact), organisations, ct);
        var latestEnd = rolling.Rows.Max(r => r.PeriodEnd);
        Latest = rolling.Rows.Where(r => r.PeriodEnd == latestEnd).ToList();

        // The same drawing as the API's trend chart, whose address the page offers for download.
        PageChart Of(IndicatorResult result, string id, string type, string title)
        {
            var rows = result.Rows.Where(r => r.IndicatorId == id).OrderBy(r => r.PeriodEnd).ToList();
            var query = $"level=provider&code={caller.OrganisationCode}&period_type={type}&from={Period.MonthLabel(to - 11)}&to={LatestMonth}&indicators={id}";
            return new PageChart($"trend-{id}", title, TrendChart.Draw(IndicatorCatalogue.ById[id], organisations[0].Name, rows, result.Version),
                "trend", query, "/api/v1/indicators",
                new(["Period", "Value"], rows.Select(r => (IReadOnlyList<string>)[r.Period, Show(r)]).ToList()));
        }
        Trends =
        [
            Of(monthly, "referrals", "month", "Referrals each month"),
            Of(monthly, "accessed", "month", "Referrals accessing IPS each month"),
            Of(monthly, "people_into_work", "month", "People supported into work each month"),
            Of(rolling, "employment_rate", "rolling12", "Employment rate over the 12 months to each month"),
        ];
        return Page();
    }
}
