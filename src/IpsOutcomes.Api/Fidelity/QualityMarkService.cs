using System.Globalization;
using Dapper;
using Hangfire;
using IpsOutcomes.Equality;
using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.MonthEnd;
using IpsOutcomes.Organisations;
using IpsOutcomes.Returns;
using IpsOutcomes.Webhooks;
using Microsoft.Extensions.Caching.Memory;

namespace IpsOutcomes.Fidelity;

/// <summary>One provider's readiness for the IPS quality mark as at a month, with its deadline.</summary>
public sealed record Readiness(string ProviderCode, string ProviderName, string IcbCode, string AsAt, bool Ready,
    IReadOnlyList<Criterion> Criteria, IReadOnlyList<string> Missing, int? LatestTotal, FidelityBand? LatestBand, DateOnly StartDate,
        DateOnly Deadline, DeadlineState? DeadlineState);

/// <summary>
/// Readiness for the quality mark, drawn from the indicator engine (employment rate, ethnicity recording), the
/// completeness report (months with an accepted return) and the equality report (populations, outcome groups), never
/// from copies of their logic. Judged on the figures as the caller may see them: exact for a key with the permission
/// (or a provider's own), otherwise as published, so that a criterion's state can never reveal a count the
/// publication rules hide (a met job outcome for a service of 3 people would say 2 or 3 got jobs).
/// Kept per data version (which recording a review or a start date moves), month and day.
/// </summary>
public sealed class QualityMarkService(Database database, OrganisationStore register, IndicatorService indicators,
    CompletenessReports completeness, FidelityStore reviews, ReferenceDataStore references, IMemoryCache cache,
        IConfiguration configuration, Audit.AuditedChanges changes, AsPublished published, FrozenParts frozen) : IFrozenPart
{
    public string Part => "quality_mark_starts";

    public async Task<object> CurrentAsync(CancellationToken ct) =>
        (await database.QueryAsync<Start>(SelectStarts, null, ct)).OrderBy(s => s.ProviderCode, StringComparer.Ordinal).ToList();

    internal static readonly Sql SelectStarts = Sql.Portable("SELECT provider_code AS ProviderCode, start_date AS StartDate FROM quality_mark_starts");

    internal static readonly Sql UpsertStart = new(
        Sqlite: """
            INSERT INTO quality_mark_starts (provider_code, start_date, set_at, set_by) VALUES (@code, @start, @now, @by)
            ON CONFLICT (provider_code) DO UPDATE SET start_date = excluded.start_date, set_at = excluded.set_at, set_by = excluded.set_by
            """,
        SqlServer: """
            MERGE dbo.quality_mark_starts WITH (HOLDLOCK) AS s
            USING (SELECT @code AS provider_code) AS n ON s.provider_code = n.provider_code
            WHEN MATCHED THEN UPDATE SET start_date = @start, set_at = @now, set_by = @by
            WHEN NOT MATCHED THEN INSERT (provider_code, start_date, set_at, set_by) VALUES (@code, @start, @now, @by);
            """);

    /// <summary>Records when a provider's three years towards the mark began, audited, moving the data version.</summary>
    public Task SetStartAsync(string providerCode, DateOnly start, Caller caller, HttpContext http, CancellationToken ct) =>
        changes.WriteAsync(caller, "quality_mark.start_set", $"provider/{providerCode}", $"{start:yyyy-MM-dd}", http,
            (connection, transaction, now)
                => connection.ExecuteAsync(database[UpsertStart], new { code = providerCode, start, now, by = caller.KeyId }, transaction),
            ct);

    public sealed class Start
    {
        public string ProviderCode { get; init; } = "";
        public DateOnly StartDate { get; init; }
    }

    /// <summary>The caller the service reads the completeness report as: every provider, no exact figures leave through it.</summary>
    private static readonly Caller Assessor = new(0, "quality mark", Role.Admin, null, false);

    public QualityMarkThresholds Thresholds { get; } = QualityMarkThresholds.From(configuration);

    /// <summary>Every provider of an ICB (or of England, with null), or one provider, as at the month; exact evidence only when <paramref
    /// name="exact"/>.</summary>
    public async Task<IReadOnlyList<Readiness>> AssessAsync(string? icb, string? provider, ReturnPeriod month, DateOnly today, bool exact,
        CancellationToken ct)
    {
        var key = ("quality-mark", published.Key, await indicators.DataVersionAsync(ct), icb, provider, month.ToString(), today, exact);
        if (cache.TryGetValue(key, out IReadOnlyList<Readiness>? kept)) return kept!;
        var assessed = await BuildAsync(icb, provider, month, today, exact, ct);
        cache.Set(key, assessed,
            new MemoryCacheEntryOptions { Size = 2048L * assessed.Count + 64, SlidingExpiration = TimeSpan.FromMinutes(30) });
        return assessed;
    }

    private async Task<IReadOnlyList<Readiness>> BuildAsync(string? icb, string? provider, ReturnPeriod month, DateOnly today, bool exact,
        CancellationToken ct)
    {
        var t = Thresholds;
        var organisations = await indicators.OrganisationsAsync(OrganisationLevel.Provider, provider, icb, ct) ?? [];
        var registered = (await register.ProvidersAsync(ct)).ToDictionary(p => p.Code);
        var m = Period.MonthIndex(month.FirstDay);
        var windowStart = month.LastDay.AddMonths(-t.ReviewMonths);
        var latest = (await reviews.ReviewsAsync(provider, ct))
            .Where(r => r.Kind == "external" && r.ReviewDate > windowStart && r.ReviewDate <= month.LastDay)
            .GroupBy(r => r.ProviderCode).ToDictionary(g => g.Key, g => g.MaxBy(r => r.ReviewDate)!);

        IndicatorQuery Query(bool exactFigures, Breakdown breakdown, params string[] ids) =>
            new(OrganisationLevel.Provider, provider, provider is null ? icb : null, PeriodType.Rolling12, m, m, ids, breakdown,
                exactFigures);
        var shown = (await indicators.ComputeAsync(Query(exact, Breakdown.None, "employment_rate", "ethnicity_recorded_pct"), organisations, ct)).Rows;
        var equalityQuery = Query(exact, Breakdown.EthnicGroup, "accessed", "employment_rate");
        var equality = await indicators.ComputeAsync(equalityQuery, organisations, ct);
        var months = (await completeness.BuildAsync(Assessor, icb, ReturnPeriod.FromDate(month.FirstDay.AddMonths(1 - t.MonthsOfReturns)),
            month, today, ct, provider))
            ?.Providers.Where(p => p.Status is MonthEnd.ReturnState.OnTime or MonthEnd.ReturnState.Late).GroupBy(p => p.ProviderCode)
                .ToDictionary(g => g.Key, g => g.Count()) ?? [];
        var starts = (published.Current is { } publication
                ? await frozen.ReadAsync<List<Start>>(publication, Part, ct)
                : await database.QueryAsync<Start>(SelectStarts, null, ct))
            .ToDictionary(s => s.ProviderCode, s => s.StartDate);

        var populations = references.Tables();
        var assessed = new List<Readiness>();
        foreach (var organisation in organisations)
        {
            // A provider with no referrals at all has no cells for the equality report to read.
            var period = equality.Cells.ContainsKey(organisation.Code)
                ? (await EqualityReports.BuildAsync(populations, equality, equalityQuery, organisation,
                    Breakdowns.Groups(Breakdown.EthnicGroup), "employment_rate", "white", ct)).Periods[^1]
                : null;
            var employment = shown.FirstOrDefault(r => r.OrganisationCode == organisation.Code && r.IndicatorId == "employment_rate");
            var recorded = shown.FirstOrDefault(r => r.OrganisationCode == organisation.Code && r.IndicatorId == "ethnicity_recorded_pct");
            var criteria = QualityMark.Assess(new ReadinessFacts(latest.GetValueOrDefault(organisation.Code), employment?.Numerator,
                employment?.Denominator, employment?.Value, employment?.LowerCi, employment?.UpperCi,
                    months.GetValueOrDefault(organisation.Code), recorded?.Value,
                period?.Access.Groups.Any(g => g.Population is not null) == true,
                    period?.Outcome.Groups.Count(g => g.Denominator is > 0) ?? 0,
                period is not null), t);
            var ready = QualityMark.Ready(criteria);
            var start = starts.TryGetValue(organisation.Code, out var set) ? set : registered[organisation.Code].ActiveFrom;
            var (deadline, state) = QualityMark.Deadline(start, today, ready, t);
            var review = latest.GetValueOrDefault(organisation.Code);
            assessed.Add(new Readiness(organisation.Code, organisation.Name, organisation.IcbCode!, month.ToString(), ready, criteria,
                criteria.Where(c => c.State != CriterionState.Met).Select(c => c.Name).ToList(), review?.Total, review?.Band, start,
                    deadline, state));
        }
        return assessed;
    }
}

/// <summary>
/// Announces readiness that changed (quality_mark.readiness_changed) to the provider's ICB, once per change: the last
/// announced readiness is kept per provider. Judged on published figures, as any ICB key reads them, so that an event
/// says no more than the readiness route would. Runs daily, and after reviews are recorded; reentrant, takes a code.
/// </summary>
public sealed class QualityMarkJob(Database database, QualityMarkService service, WebhookOutbox outbox, TimeProvider clock)
{
    internal static readonly Sql SelectAnnounced = Sql.Portable("SELECT provider_code AS ProviderCode, ready AS Ready FROM quality_mark_readiness");
    internal static readonly Sql DeleteAnnounced = Sql.Portable("DELETE FROM quality_mark_readiness WHERE provider_code = @code");
    internal static readonly Sql InsertAnnounced = Sql.Portable(
        "INSERT INTO quality_mark_readiness (provider_code, ready, as_at, changed_at) VALUES (@code, @ready, @asAt, @now)");

    private sealed class Announced
    {
        public string ProviderCode { get; init; } = "";
        public bool Ready { get; init; }
    }

    [AutomaticRetry(Attempts = 3)]
    public async Task CheckAsync(string? providerCode, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var month = ReturnPeriod.FromDate(today).Previous;
        var assessed = await service.AssessAsync(null, providerCode, month, today, exact: false, ct);
        var deliveries = new List<long>();
        await using (var connection = await database.OpenAsync(ct))
        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            // One check at a time (an immediate transaction on SQLite, an application lock on SQL Server), so that two
            // checks cannot both see the old readiness and announce the change twice; the event goes with the row that records it.
            await database.LockAsync(connection, transaction, "IpsOutcomes.quality-mark", 30, ct);
            var announced = (await connection.QueryAsync<Announced>(database[SelectAnnounced], transaction: transaction))
                .ToDictionary(a => a.ProviderCode, a => a.Ready);
            foreach (var readiness in assessed)
            {
                var before = announced.GetValueOrDefault(readiness.ProviderCode); // never assessed: not ready
                if (announced.ContainsKey(readiness.ProviderCode) && before == readiness.Ready) continue;
                await connection.ExecuteAsync(database[DeleteAnnounced], new { code = readiness.ProviderCode }, transaction);
                await connection.ExecuteAsync(database[InsertAnnounced],
                    new { code = readiness.ProviderCode, ready = readiness.Ready, asAt = month.FirstDay, now = clock.GetUtcNow() },
                    transaction);
                if (before == readiness.Ready) continue;
                deliveries.AddRange(await outbox.AddAsync(connection, transaction, readiness.IcbCode, "quality_mark.readiness_changed", new Dictionary<string, object?>
                {
                    ["provider_code"] = readiness.ProviderCode,
                    ["ready"] = readiness.Ready,
                    ["as_at"] = readiness.AsAt,
                    ["missing"] = readiness.Missing,
                }));
            }
            await transaction.CommitAsync(ct);
        }
        outbox.Dispatch(deliveries);
    }
}
