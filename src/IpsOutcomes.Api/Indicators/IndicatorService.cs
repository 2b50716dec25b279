using Dapper;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Organisations;
using Microsoft.Extensions.Caching.Memory;

namespace IpsOutcomes.Indicators;

public sealed class IndicatorService(Database database, OrganisationStore register, ReferralSnapshot snapshot, DataVersion dataVersion,
    IMemoryCache cache, AsPublished asPublished, FrozenReferrals frozenReferrals, FrozenParts frozen, IHttpContextAccessor http)
    : IFrozenPart
{
    /// <summary>The referrals a request's figures are all worked out from, whatever is accepted while it is answered.</summary>
    private sealed record Pinned(ReferralSnapshot.State State);

    /// <summary>
    /// Works every figure of this request out from the referrals as they are now (issue 27): a page that resolves several figures
    /// draws them all from one data version, even when a return is accepted while it is drawn. Figures as published are pinned
    /// already.
    /// </summary>
    public async Task PinAsync(HttpContext request, CancellationToken ct)
    {
        if (asPublished.Current is null && request.Features.Get<Pinned>() is null)
            request.Features.Set(new Pinned(await snapshot.GetAsync(ct)));
    }

    private ReferralSnapshot.State? PinnedState => http.HttpContext?.Features.Get<Pinned>()?.State;

    /// <summary>What a publication keeps of the indicators' own data besides the referrals: the months each provider holds and the
    /// access targets.</summary>
    public sealed record Kept(Dictionary<string, ProviderMonths> MonthsHeld, IReadOnlyList<AccessTarget> Targets);

    public string Part => "indicators";

    public async Task<object> CurrentAsync(CancellationToken ct) =>
        new Kept(new(await MonthsHeldAsync(ct)), await AccessTargets.ListAsync(database, null, ct));

    private async Task<Kept?> PublishedAsync(CancellationToken ct) =>
        asPublished.Current is { } publication ? await frozen.ReadAsync<Kept>(publication, Part, ct) : null;

    /// <summary>The access targets of one ICB (every ICB with null), as current or as the publication asked for froze them.</summary>
    public async Task<IReadOnlyList<AccessTarget>> TargetsAsync(string? icb, CancellationToken ct) =>
        (await PublishedAsync(ct))?.Targets.Where(t => icb is null || t.IcbCode == icb).ToList()
        ?? await AccessTargets.ListAsync(database, icb, ct);

    /// <summary>The referrals figures are worked out from: the publication's asked for, or the live snapshot, which the request is
    /// pinned to from its first figure on (so its ETag and its answer are of one state).</summary>
    private async Task<ReferralSnapshot.State> ReferralsAsync(CancellationToken ct)
    {
        if (asPublished.Current is { } publication) return await frozenReferrals.StateAsync(publication, ct);
        if (PinnedState is { } pinned) return pinned;
        var state = await snapshot.GetAsync(ct);
        http.HttpContext?.Features.Set(new Pinned(state));
        return state;
    }

    /// <summary>The organisations a query names: one, or every one of a level (within an ICB or region).</summary>
    public async Task<IReadOnlyList<Organisation>?> OrganisationsAsync(OrganisationLevel level, string? code, string? within,
        CancellationToken ct)
    {
        var icbs = await register.IcbsAsync(ct);
        var regionOf = icbs.ToDictionary(i => i.Code, i => i.RegionCode);
        var providers = (await register.ProvidersAsync(ct)).Select(p => (p.Code, p.Name, p.IcbCode, RegionCode: regionOf[p.IcbCode]))
            .ToList();
        List<Organisation> all = level switch
        {
            OrganisationLevel.Provider => providers.Select(p => new Organisation(level, p.Code, p.Name, p.IcbCode, [p.Code]))
                .Where(o => within is null || o.IcbCode == within).ToList(),
            OrganisationLevel.Icb => icbs.Where(i => i.EffectiveTo is null || code == i.Code)
                .Where(i => within is null || i.RegionCode == within)
                .Select(i => new Organisation(level, i.Code, i.Name, i.Code, providers.Where(p => p.IcbCode == i.Code).Select(p => p.Code)
                    .ToList())).ToList(),
            OrganisationLevel.Region => icbs.GroupBy(i => (i.RegionCode, i.RegionName))
                .Select(r => new Organisation(level, r.Key.RegionCode, r.Key.RegionName, null,
                    providers.Where(p => p.RegionCode == r.Key.RegionCode).Select(p => p.Code).ToList())).ToList(),
            _ => [new Organisation(level, "england", "England", null, providers.Select(p => p.Code).ToList())],
        };
        if (code is null) return all.OrderBy(o => o.Code, StringComparer.Ordinal).ToList();
        var one = all.FirstOrDefault(o => o.Code == code);
        return one is null ? null : [one];
    }

    /// <summary>The data version figures are answered at: the publication's, the one the request is pinned to, or the current one.
    /// </summary>
    public ValueTask<long> DataVersionAsync(CancellationToken ct) =>
        asPublished.Current is { } publication ? ValueTask.FromResult(publication.DataVersion)
        : PinnedState is { } pinned ? ValueTask.FromResult(pinned.Version) : dataVersion.CurrentAsync(ct);

    /// <summary>
    /// The data version of an answer worked out from these providers' referrals (null: every provider's), which its ETag and cached
    /// bytes are keyed on: another ICB's accepted return leaves it where it was (<see cref="ReferralSnapshot.State.VersionOf"/>).
    /// </summary>
    public async ValueTask<long> VersionOfAsync(IEnumerable<string>? providers, CancellationToken ct) =>
        asPublished.Current is { } publication ? publication.DataVersion
        : providers is null ? await DataVersionAsync(ct)
        : (await ReferralsAsync(ct)).VersionOf(providers);

    internal static readonly Sql SelectProviderMonths = Sql.Portable("""
        SELECT provider_code AS ProviderCode, MIN(referral_date) AS FirstReferral, MAX(period) AS LatestReturn
        FROM referrals WHERE provider_code = @provider GROUP BY provider_code
        """);

    /// <summary>The months a provider holds data for: from its first referral to its latest accepted return (yyyy-MM).</summary>
    public sealed class ProviderMonths
    {
        public string ProviderCode { get; init; } = "";
        public DateOnly FirstReferral { get; init; }
        public string LatestReturn { get; init; } = "";
    }

    /// <summary>Every provider's months held, by provider code. Each provider's are read once per state of its referrals (its
    /// fingerprint), so after an acceptance one provider's are read again, not every referral (issue 27).</summary>
    public async Task<IReadOnlyDictionary<string, ProviderMonths>> MonthsHeldAsync(CancellationToken ct)
    {
        if (await PublishedAsync(ct) is { } published) return published.MonthsHeld;
        var state = await ReferralsAsync(ct);
        return await cache.GetOrCreateAsync(("months-held", state.Version), async entry =>
        {
            var held = new Dictionary<string, ProviderMonths>();
            foreach (var referrals in state.Providers.Values)
                if (await cache.GetOrCreateAsync(("months-held", referrals.ProviderCode, referrals.Fingerprint), async provider =>
                {
                    provider.Size = 128;
                    provider.SlidingExpiration = TimeSpan.FromMinutes(30);
                    return await database.QuerySingleOrDefaultAsync<ProviderMonths>(SelectProviderMonths,
                        new { provider = referrals.ProviderCode }, ct);
                }) is { } months) held[months.ProviderCode] = months;
            entry.Size = 128L * held.Count + 64; // the cache is sized in bytes
            return (IReadOnlyDictionary<string, ProviderMonths>)held;
        }) ?? new Dictionary<string, ProviderMonths>();
    }

    /// <summary>The result of a query as the data are now, if it has been computed already: the last one computed, if nothing it is
    /// worked out from (its organisations' referrals, or what every answer shares) has changed since.</summary>
    public async ValueTask<IndicatorResult?> CachedAsync(IndicatorQuery query, CancellationToken ct) =>
        cache.TryGetValue((asPublished.Key, query.Canonical), out IndicatorResult? result)
        && result!.Version == (await ReferralsAsync(ct)).VersionOf(result.Organisations.SelectMany(o => o.Providers)) ? result : null;

    /// <summary>The published rows for a query, computed once per version of what they are worked out from.</summary>
    public async Task<IndicatorResult> ComputeAsync(IndicatorQuery query, IReadOnlyList<Organisation> organisations, CancellationToken ct)
    {
        var state = await ReferralsAsync(ct);
        var version = state.VersionOf(organisations.SelectMany(o => o.Providers));
        var key = (asPublished.Key, query.Canonical);
        if (cache.TryGetValue(key, out IndicatorResult? cached) && cached!.Version == version) return cached;

        var periods = Period.Series(query.PeriodType, query.FromMonth, query.ToMonth);
        var groups = Breakdowns.Groups(query.Breakdown);
        var targets = query.Indicators.Contains("accessed_vs_target_pct") && query.Breakdown == Breakdown.None
            ? (await TargetsAsync(null, ct))
                .ToDictionary(t => (t.IcbCode, t.FinancialYear), t => t.Target)
            : [];
        // Every cell is worked out whichever indicators were asked for, so that a cell is hidden or shown alike in
        // every answer; the medians' lists only when asked for.
        var computed = IndicatorCatalogue.All
            .Where(d => d.Measure.Kind switch
            {
                MeasureKind.AgainstTarget => false,
                MeasureKind.Median => query.Indicators.Contains(d.Id),
                _ => true
            })
            .Select(d => d.Id).ToList();
        // The breakdown asked for, the rest of its family and the total, in one pass.
        Breakdown[] family = [query.Breakdown, .. DisclosureControl.Family(query.Breakdown).Where(b => b != query.Breakdown),
            .. query.Breakdown == Breakdown.None ? Array.Empty<Breakdown>() : [Breakdown.None]];
        var exact = query.Exact;
        var shape = $"{query.PeriodType}|{query.FromMonth}|{query.ToMonth}|{string.Join(',', family)}|{string.Join(',', computed)}";
        var rows = new List<IndicatorValue>();
        var published = new Dictionary<string, IReadOnlyDictionary<CellKey, long?>>();
        foreach (var organisation in organisations)
        {
            var referrals = organisation.Providers.Select(p => state.Providers.GetValueOrDefault(p)).OfType<ProviderReferrals>().ToList();
            var own = state.VersionOf(organisation.Providers);
            var (figures, cells) = Figures(organisation, referrals, own);
            if (organisations.Count == 1) published[organisation.Code] = cells;
            rows.AddRange(figures);
            if (organisation.Level == OrganisationLevel.Icb && targets.Count > 0)
                foreach (var (window, accessed, target) in AgainstTarget(referrals, periods, organisation.Code, targets, exact))
                    rows.Add(Row(organisation, periods[window], IndicatorCatalogue.ById["accessed_vs_target_pct"], "all",
                        DisclosureControl.Publish(Unit.Percent, accessed, target, null, null, exact, interval: false), own));
        }

        // One organisation's rows and cells as published, kept until one of its providers' referrals changes (issue 27): after an
        // acceptance a league of 42 ICBs works out one ICB again. Each row carries its organisation's data version, so a row kept is
        // the row answered, never re-made.
        (List<IndicatorValue> Rows, IReadOnlyDictionary<CellKey, long?> Cells) Figures(Organisation organisation,
            List<ProviderReferrals> referrals, long version)
        {
            var key = (asPublished.Key, organisation.Level, organisation.Code, organisation.Name, shape, exact,
                string.Join(',', query.Indicators), string.Join(',', referrals.Select(r => $"{r.ProviderCode}:{r.Fingerprint}")), version);
            if (cache.TryGetValue(key, out (List<IndicatorValue>, IReadOnlyDictionary<CellKey, long?>) kept)) return kept;
            var tables = family.Zip(IndicatorEngine.Combine(referrals.Select(r => Tallies(r, shape, periods, family, computed)), periods,
                family, computed)).ToList();
            var cells = Publication(tables, query.Breakdown, exact);
            var own = new List<IndicatorValue>();
            foreach (var value in tables[0].Second)
            {
                if (!query.Indicators.Contains(value.IndicatorId)) continue;
                var definition = IndicatorCatalogue.ById[value.IndicatorId];
                var (numeratorCell, denominatorCell) = DisclosureControl.CellsOf(value.IndicatorId);
                long? Published(Cell? cell) => cell is { } c
                    ? cells[new CellKey(c, value.Window,
                        query.Breakdown == Breakdown.None ? DisclosureControl.All
                        : DisclosureControl.TableGroup(query.Breakdown, value.Group))]
                    : null;
                var figures = DisclosureControl.Publish(definition.Unit, Published(numeratorCell), Published(denominatorCell), value.Value,
                    definition.Benchmark, exact);
                own.Add(Row(organisation, periods[value.Window], definition, groups[value.Group], figures, version));
            }
            cache.Set(key, (own, (IReadOnlyDictionary<CellKey, long?>)cells), new MemoryCacheEntryOptions
            {
                Size = 300L * own.Count + 64L * cells.Count,
                SlidingExpiration = TimeSpan.FromMinutes(10),
            });
            return (own, cells);
        }

        IndicatorValue Row(Organisation organisation, Period period, IndicatorDefinition definition, string group,
            (long? Numerator, long? Denominator, double? Value, double? Lower, double? Upper, BenchmarkSide? Comparison,
                bool Suppressed) figures, long version) =>
            new(organisation.Code, organisation.Name, organisation.Level.ToString().ToLowerInvariant(), PeriodTypeName(query.PeriodType),
                period.Label, period.FirstDay, period.LastDay, definition.Id, definition.Unit, Breakdowns.Name(query.Breakdown), group,
                    figures.Numerator,
                figures.Denominator, figures.Value, figures.Lower, figures.Upper, definition.Benchmark, figures.Comparison,
                    figures.Suppressed, version);

        var result = new IndicatorResult(version, organisations, rows, published);
        cache.Set(key, result, new MemoryCacheEntryOptions { Size = result.EstimatedBytes, SlidingExpiration = TimeSpan.FromMinutes(30) });
        return result;
    }

    /// <summary>
    /// A provider's tallies for a query's periods, breakdowns and indicators (<paramref name="shape"/>), kept beside its referrals
    /// (the key is the referrals themselves, which the snapshot replaces when they change): after an acceptance, England's figures
    /// recount one provider, not all of them.
    /// </summary>
    private IndicatorEngine.ProviderTallies Tallies(ProviderReferrals referrals, string shape, IReadOnlyList<Period> periods,
        Breakdown[] family, List<string> computed)
    {
        var key = (referrals, shape);
        if (cache.TryGetValue(key, out IndicatorEngine.ProviderTallies? kept)) return kept!;
        var tallies = IndicatorEngine.Count(referrals, periods, family, computed);
        cache.Set(key, tallies,
            new MemoryCacheEntryOptions { Size = tallies.EstimatedBytes, SlidingExpiration = TimeSpan.FromMinutes(10) });
        return tallies;
    }

    /// <summary>
    /// Resolved figures answered (a spine, an SPC chart, a funnel): the refusal, 304 for a current copy, or the answer
    /// as JSON or as its tidy CSV, encoded once per data version: asked again, it is the bytes already written.
    /// </summary>
    public async Task<IResult> AnswerAsync<T>(Resolution<T> figures, string tagPrefix, bool csv,
        System.Text.Json.JsonSerializerOptions json, HttpContext http, CancellationToken ct) where T : ITidy
    {
        if (figures.Refusal is { } refusal) return refusal;
        var version = await VersionOfAsync(figures.Providers, ct);
        if (Freshness.IsCurrent(http, tagPrefix, version,
            figures.Asked + csv)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        var key = (asPublished.Key, version, figures.Asked, csv);
        if (!cache.TryGetValue(key, out byte[]? bytes))
        {
            var report = await figures.Build();
            bytes = csv ? CsvOutput.Table(report) : System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(report, json);
            cache.Set(key, bytes, new MemoryCacheEntryOptions { Size = bytes.Length + 64, SlidingExpiration = TimeSpan.FromMinutes(30) });
        }
        return TypedResults.Bytes(bytes!, csv ? CsvOutput.ContentType : "application/json; charset=utf-8");
    }

    /// <summary>
    /// The rows of a result, each against the comparators asked for and with its recent trend and quartile if asked, computed
    /// once per data version. <paramref name="ownFigures"/>: the result is the caller's own provider's, whose cells it knows
    /// exactly (<see cref="IndicatorAccess.SeesOwnExact"/>), so its comparators are published as it may see them.
    /// <paramref name="version"/>: the version of what the comparators are worked out from too (<see cref="Comparators.ProvidersAsync"/>),
    /// which each row then carries.
    /// </summary>
    public async Task<IndicatorResult> ComparedAsync(IndicatorQuery query, IndicatorResult result, IReadOnlyList<string> comparators,
        double z, bool trend, bool quartile, bool ownFigures, long version, CancellationToken ct)
    {
        var key = (asPublished.Key, version, $"{query.Canonical}|compare={string.Join(",", comparators)}|z={z}|trend={trend}|quartile={quartile}|own={ownFigures}");
        if (cache.TryGetValue(key, out IndicatorResult? cached)) return cached!;
        var rows = comparators.Count == 0 ? result.Rows
            : await Comparators.CompareAsync(this, query, result, comparators, z, ownFigures, ct);
        if (trend) rows = await Comparators.TrendAsync(this, query, result, rows, ct);
        if (quartile) rows = await Comparators.QuartileAsync(this, query, rows, ct);
        if (rows.Any(row => row.DataVersion != version)) rows = rows.Select(row => row with { DataVersion = version }).ToList();
        var compared = new IndicatorResult(version, result.Organisations, rows, result.Cells);
        cache.Set(key, compared,
            new MemoryCacheEntryOptions { Size = compared.EstimatedBytes, SlidingExpiration = TimeSpan.FromMinutes(30) });
        return compared;
    }

    /// <summary>
    /// Every cell of one organisation's table as published: exact, or under <see cref="DisclosureControl"/>. A breakdown's
    /// table carries the unbroken-down totals (group <see cref="DisclosureControl.All"/>), suppressed exactly as the
    /// unbroken-down table suppresses them.
    /// </summary>
    private static Dictionary<CellKey,
        long?> Publication(IReadOnlyList<(Breakdown Breakdown, List<RawValue> Values)> figures, Breakdown breakdown, bool exact)
    {
        var cells = DisclosureControl.Cells(figures);
        if (exact) return cells.ToDictionary(c => c.Key, c => (long?)c.Value);
        // The totals are the unbroken-down table's cells, published as that table publishes them.
        var totals = breakdown == Breakdown.None ? null
            : Published(cells.Where(c => c.Key.Group == DisclosureControl.All).ToDictionary(), Breakdown.None, null);
        return Published(cells, breakdown, totals);

        static Dictionary<CellKey,
            long?> Published(Dictionary<CellKey, long> cells, Breakdown breakdown, Dictionary<CellKey, long?>? totals)
        {
            var hidden = DisclosureControl.Suppress(cells, breakdown, totals);
            return cells.ToDictionary(c => c.Key, c => hidden.Contains(c.Key) ? null : DisclosureControl.SafeCount(c.Value));
        }
    }

    /// <summary>
    /// accessed_vs_target_pct: referrals accessed in the financial year to date, at the end of each period, as the
    /// year-to-date figures publish them, against the ICB's access target for that year; only where a target is loaded.
    /// </summary>
    private static IEnumerable<(int Window, long? Accessed, long Target)> AgainstTarget(IReadOnlyList<ProviderReferrals> referrals,
        IReadOnlyList<Period> periods, string icb, Dictionary<(string, string), long> targets, bool exact)
    {
        var yearToDate = periods.Select(p => Period.Ending(PeriodType.Fytd, p.LastMonth)).ToList();
        var accessed = IndicatorEngine.Compute(referrals, yearToDate, Breakdown.None, ["accessed"]);
        for (var w = 0; w < periods.Count; w++)
        {
            if (!targets.TryGetValue((icb, Period.FinancialYearOf(periods[w].LastMonth)), out var target) || target <= 0) continue;
            var count = (long)(accessed.Single(a => a.Window == w).Value ?? 0);
            // The accessed total is never hidden by secondary suppression (only cells within it are), so this is the
            // figure the year-to-date indicators show.
            yield return (w, exact ? count : DisclosureControl.SafeCount(count), target);
        }
    }

    public static string PeriodTypeName(PeriodType type) => type == PeriodType.Rolling12 ? "rolling12" : type.ToString().ToLowerInvariant();
}
