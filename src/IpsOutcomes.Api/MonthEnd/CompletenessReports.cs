using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Organisations;
using IpsOutcomes.Returns;
using IpsOutcomes.Submissions;

namespace IpsOutcomes.MonthEnd;

/// <summary>
/// Which providers sent each month's return on time, late, not at all or only rejected ones, and the reporting
/// rates: for England or one ICB, for the API's report and the pages alike.
/// </summary>
public sealed class CompletenessReports(OrganisationStore register, SubmissionStore submissions, IndicatorService indicators,
    IConfiguration configuration, FiguresClock clock)
{
    /// <summary>The day of the following month a return is due by (<c>Returns:DueDay</c>, default 15).</summary>
    public int DueDay { get; } = configuration.GetValue("Returns:DueDay", 15);

    /// <summary>The report for one ICB (or England, <paramref name="scope"/> null) over a range of months; null when there is no such
    /// ICB.</summary>
    /// <param name="provider">One provider of the ICB only (a service's own page), so that no other provider's months are worked
    /// out.</param>
    public async Task<CompletenessReport?> BuildAsync(Caller caller, string? scope, ReturnPeriod first, ReturnPeriod last, DateOnly today,
        CancellationToken ct, string? provider = null)
    {
        var providers = await register.ProvidersAsync(scope, provider, ct);
        if (scope is not null && providers.Count == 0
            && await register.IcbAsync(scope, ct) is null)
            return null;
        var everyProvider = scope is null && provider is null;
        var attempts = (await submissions.OfProvidersAsync(everyProvider ? null : providers.Select(p => p.Code), first, last, ct))
            .ToLookup(a => (a.ProviderCode, a.Period));

        var recording = await EthnicityRecordingAsync(indicators, scope, provider, first, last, ct);
        var rows = new List<ProviderCompleteness>();
        var rates = new List<ReportingRate>();
        for (var period = first; period.FirstDay <= last.FirstDay; period = ReturnPeriod.FromDate(period.FirstDay.AddMonths(1)))
        {
            var due = Completeness.DueDate(period, DueDay);
            var active = providers.Where(p => p.ActiveFrom <= period.LastDay && (p.ActiveTo is null || p.ActiveTo >= period.FirstDay))
                .ToList();
            var monthRows = active.Select(p =>
            {
                var mine = attempts[(p.Code, period.ToString())]
                    .Select(a => new ReturnAttempt(a.Id, a.Status, a.UploadedAt, a.RowCount, a.WarningCount ?? 0)).ToList();
                var current = mine.FirstOrDefault(a => a.Status == SubmissionStatus.Accepted);
                var firstAccepted = mine.Where(a => a.Status.WasAccepted()).OrderBy(a => a.UploadedAt).FirstOrDefault();
                return new ProviderCompleteness(p.Code, p.Name, p.IcbCode, period.ToString(), due, Completeness.Classify(mine, due),
                    today > due, current?.SubmissionId, firstAccepted?.UploadedAt,
                        DisclosureControl.RowCount(current?.RowCount, caller.Unsuppressed),
                    DisclosureControl.RowCount(current?.WarningCount, caller.Unsuppressed),
                    recording.GetValueOrDefault((p.Code, period.ToString())));
            }).ToList();
            rows.AddRange(monthRows);
            rates.Add(Completeness.Rate(period.ToString(), monthRows));
        }
        var overall = Completeness.Rate($"{first} to {last}", rows);
        return new CompletenessReport(scope ?? "england", DueDay, rates, overall, rows, await indicators.DataVersionAsync(ct));
    }

    /// <summary>
    /// Each provider's ethnicity recording for every month of the range (in its safe form), from the indicators:
    /// one series for all the scope's providers, which is also exactly what its cache key names.
    /// </summary>
    private static async Task<Dictionary<(string Provider, string Month),
        double?>> EthnicityRecordingAsync(IndicatorService indicators, string? icb, string? provider, ReturnPeriod first,
            ReturnPeriod last, CancellationToken ct)
    {
        var within = provider is null ? icb : null;
        var organisations = await indicators.OrganisationsAsync(OrganisationLevel.Provider, provider, within, ct) ?? [];
        if (organisations.Count == 0) return [];
        var query = new IndicatorQuery(OrganisationLevel.Provider, provider, within, PeriodType.Month, Period.MonthIndex(first.FirstDay),
            Period.MonthIndex(last.FirstDay), ["ethnicity_recorded_pct"], Breakdown.None, false);
        var result = await indicators.ComputeAsync(query, organisations, ct);
        return result.Rows.ToDictionary(r => (r.OrganisationCode, r.Period), r => r.Value);
    }

    /// <summary>
    /// A completeness request resolved: an ICB key reads its own ICB, national and admin keys any ICB or England; the
    /// answer is null for an ICB that does not exist. Not cached: late and missing change with the day, not only the data.
    /// </summary>
    public Resolution<CompletenessReport?> Resolve(CompletenessRequest request, Caller caller, CancellationToken ct)
    {
        static Resolution<CompletenessReport?> Refused(IResult problem) => Resolution<CompletenessReport?>.Refused(problem);
        var (icb, month, from, to, _, _) = request;
        if (caller.Role == Role.Provider) return Refused(Problems.Forbidden("The completeness report is for ICB, national and admin keys."));
        var scope = icb?.ToUpperInvariant() ?? (caller.Role == Role.Icb ? caller.OrganisationCode : null);
        if (scope is null && !caller.ReachesEverything) return Refused(Problems.Forbidden("All of England is for national and admin keys."));
        if (scope is not null && !caller.CanReadIcb(scope)) return Refused(Problems.Forbidden($"This key may not read ICB {scope}."));
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var last = ReturnPeriod.FromDate(today).Previous;
        ReturnPeriod first;
        if (month is not null && ReturnPeriod.TryParse(month, out var one)) first = last = one;
        else if (from is not null && to is not null && ReturnPeriod.TryParse(from, out var f) && ReturnPeriod.TryParse(to, out var t)
            && f.FirstDay <= t.FirstDay && t.FirstDay.AddMonths(-120) < f.FirstDay)
            (first, last) = (f, t);
        else if (month is null && from is null && to is null) first = last;
        else return Refused(Problems.Invalid("month", "Give month=yyyy-MM, or from and to (at most 120 months apart); the default is last month."));
        return new(null, "", () => BuildAsync(caller, scope, first, last, today, ct));
    }
}
