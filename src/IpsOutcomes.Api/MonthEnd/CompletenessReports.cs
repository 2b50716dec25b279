using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Returns;

namespace IpsOutcomes.MonthEnd;

/// <summary>
/// Which providers sent each month's return on time, late, not at all or only rejected ones, and the reporting
/// rates: for England or one ICB, for the API's report and the pages alike.
/// </summary>
public sealed class CompletenessReports(Database database, IndicatorService indicators, IConfiguration configuration)
{
    internal static readonly Sql SelectProviders = Sql.Portable("""
        SELECT code AS Code, name AS Name, icb_code AS IcbCode, active_from AS ActiveFrom, active_to AS ActiveTo
        FROM providers WHERE (@icb IS NULL OR icb_code = @icb) AND (@provider IS NULL OR code = @provider) ORDER BY code
        """);

    internal static readonly Sql SelectAttempts = Sql.Portable("""
        SELECT s.id AS SubmissionId, s.provider_code AS ProviderCode, s.period AS Period, s.status AS Status, s.uploaded_at AS UploadedAt,
               s.row_count AS "RowCount", s.warning_count AS WarningCount
        FROM submissions s JOIN providers p ON p.code = s.provider_code
        WHERE (@icb IS NULL OR p.icb_code = @icb) AND (@provider IS NULL OR s.provider_code = @provider) AND s.period >= @from AND s.period <= @to
        """);

    private sealed class ProviderRow
    {
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
        public string IcbCode { get; init; } = "";
        public DateOnly ActiveFrom { get; init; }
        public DateOnly? ActiveTo { get; init; }
    }

    private sealed class AttemptRow
    {
        public long SubmissionId { get; init; }
        public string ProviderCode { get; init; } = "";
        public string Period { get; init; } = "";
        public string Status { get; init; } = "";
        public DateTimeOffset UploadedAt { get; init; }
        public int? RowCount { get; init; }
        public int WarningCount { get; init; }
    }

    /// <summary>The day of the following month a return is due by (<c>Returns:DueDay</c>, default 15).</summary>
    public int DueDay { get; } = configuration.GetValue("Returns:DueDay", 15);

    /// <summary>The report for one ICB (or England, <paramref name="scope"/> null) over a range of months; null when there is no such ICB.</summary>
    /// <param name="provider">One provider of the ICB only (a service's own page), so that no other provider's months are worked out.</param>
    public async Task<CompletenessReport?> BuildAsync(Caller caller, string? scope, ReturnPeriod first, ReturnPeriod last, DateOnly today,
        CancellationToken ct, string? provider = null)
    {
        var providers = await database.QueryAsync<ProviderRow>(SelectProviders, new { icb = scope, provider }, ct);
        if (scope is not null && providers.Count == 0 && await indicators.OrganisationsAsync(OrganisationLevel.Icb, scope, null, ct) is null)
            return null;
        var attempts = (await database.QueryAsync<AttemptRow>(SelectAttempts, new { icb = scope, provider, from = first.ToString(), to = last.ToString() }, ct))
            .ToLookup(a => (a.ProviderCode, a.Period));

        var recording = await EthnicityRecordingAsync(indicators, scope, provider, first, last, ct);
        var rows = new List<ProviderCompleteness>();
        var rates = new List<ReportingRate>();
        for (var period = first; period.FirstDay <= last.FirstDay; period = ReturnPeriod.FromDate(period.FirstDay.AddMonths(1)))
        {
            var due = Completeness.DueDate(period, DueDay);
            var active = providers.Where(p => p.ActiveFrom <= period.LastDay && (p.ActiveTo is null || p.ActiveTo >= period.FirstDay)).ToList();
            var monthRows = active.Select(p =>
            {
                var mine = attempts[(p.Code, period.ToString())].Select(a => new ReturnAttempt(a.SubmissionId, a.Status, a.UploadedAt, a.RowCount, a.WarningCount)).ToList();
                var current = mine.FirstOrDefault(a => a.Status == "accepted");
                var firstAccepted = mine.Where(a => a.Status is "accepted" or "superseded").OrderBy(a => a.UploadedAt).FirstOrDefault();
                return new ProviderCompleteness(p.Code, p.Name, p.IcbCode, period.ToString(), due, Completeness.Classify(mine, due), today > due,
                    current?.SubmissionId, firstAccepted?.UploadedAt, DisclosureControl.RowCount(current?.RowCount, caller.Unsuppressed),
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
    private static async Task<Dictionary<(string Provider, string Month), double?>> EthnicityRecordingAsync(IndicatorService indicators, string? icb,
        string? provider, ReturnPeriod first, ReturnPeriod last, CancellationToken ct)
    {
        var within = provider is null ? icb : null;
        var organisations = await indicators.OrganisationsAsync(OrganisationLevel.Provider, provider, within, ct) ?? [];
        if (organisations.Count == 0) return [];
        var query = new IndicatorQuery(OrganisationLevel.Provider, provider, within, PeriodType.Month, Period.MonthIndex(first.FirstDay),
            Period.MonthIndex(last.FirstDay), ["ethnicity_recorded_pct"], Breakdown.None, false);
        var result = await indicators.ComputeAsync(query, organisations, ct);
        return result.Rows.ToDictionary(r => (r.OrganisationCode, r.Period), r => r.Value);
    }
}
