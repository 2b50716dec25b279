using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Indicators;

/// <summary>One comparator's answer for a row: who it is, its value, and how the row stands against it.</summary>
public sealed record ComparatorOutcome(string Comparator, string? Code, double? Value, Outcome Outcome);

/// <summary>
/// A row against its comparators (comparisons.md): the parent ICB (for a provider), the NHS region, England, and the
/// fixed benchmark. A percentage's interval, at 95% or 99.8%, is set against the comparator's value; comparators'
/// own figures are always in their published (safe) form, whoever asks.
/// </summary>
public static class Comparators
{
    public static readonly string[] Names = ["icb", "region", "england", "benchmark"];

    /// <summary>Reads <c>compare=</c> and <c>confidence=</c>; errors name the parameter.</summary>
    public static (IReadOnlyList<string> Names, double Z, Dictionary<string, string[]> Errors) Parse(string? compare, string? confidence)
    {
        var errors = new Dictionary<string, string[]>();
        var names = (compare ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => n.ToLowerInvariant()).Distinct().ToList();
        if (names.Except(Names).Any()) errors["compare"] = [$"compare lists any of {string.Join(", ", Names)}, separated by commas."];
        var z = confidence switch { null or "95" => Fingertips.Z95, "99.8" => Fingertips.Z998, _ => double.NaN };
        if (double.IsNaN(z)) errors["confidence"] = ["confidence is 95 (the default) or 99.8."];
        return (names.OrderBy(n => Array.IndexOf(Names, n)).ToList(), z, errors);
    }

    /// <summary>
    /// The providers whose referrals an answer about <paramref name="organisations"/> is worked out from, with these comparators and
    /// quartiles: its own, and its ICBs' or regions' (null: every provider's, for England or quartiles among all peers).
    /// </summary>
    public static async Task<IReadOnlyCollection<string>?> ProvidersAsync(IndicatorService service,
        IReadOnlyList<Organisation> organisations, IReadOnlyList<string> names, bool quartile, CancellationToken ct)
    {
        if (quartile || names.Contains("england")) return null;
        var providers = new HashSet<string>(Organisation.ProvidersOf(organisations));
        foreach (var (name, level) in new[] { ("icb", OrganisationLevel.Icb), ("region", OrganisationLevel.Region) })
            if (names.Contains(name))
                foreach (var comparator in await OfAsync(service, level, organisations, ct)) providers.UnionWith(comparator.Providers);
        return providers;
    }

    /// <summary>Only the comparators of a level that <paramref name="organisations"/> belong to: a provider's series never computes all
    /// 42 ICBs.</summary>
    private static async Task<List<Organisation>> OfAsync(IndicatorService service, OrganisationLevel level,
        IReadOnlyList<Organisation> organisations, CancellationToken ct)
    {
        var providers = Organisation.ProvidersOf(organisations);
        return (await service.OrganisationsAsync(level, null, null, ct) ?? []).Where(c => c.Providers.Any(providers.Contains)).ToList();
    }

    /// <summary>The rows of <paramref name="result"/>, each with its comparisons.</summary>
    public static async Task<IReadOnlyList<IndicatorValue>> CompareAsync(IndicatorService service, IndicatorQuery query,
        IndicatorResult result, IReadOnlyList<string> names, double z, bool ownFigures, CancellationToken ct)
    {
        // Each comparator level computed once for the whole answer, in safe form, by the same indicator engine.
        var levels = new Dictionary<string,
            (Dictionary<string, string> Of, Dictionary<(string, string, string, string), IndicatorValue> Rows)>();
        foreach (var (name, level) in new[] { ("icb", OrganisationLevel.Icb), ("region", OrganisationLevel.Region),
            ("england", OrganisationLevel.England) })
        {
            if (!names.Contains(name)) continue;
            var comparators = await OfAsync(service, level, result.Organisations, ct);
            // One query per comparator, as if it were asked for by itself: the same cache entry and the same figures; for a
            // provider's own key, the comparator as that key may see it (KnownToTheKeyAsync).
            var rows = new Dictionary<(string, string, string, string), IndicatorValue>();
            foreach (var comparator in comparators)
            {
                var asked = query with { Level = level, Code = comparator.Code, Within = null, Exact = false };
                var comparatorRows = ownFigures
                    ? await KnownToTheKeyAsync(service, asked, comparator, result, query.Breakdown, ct)
                    : (await service.ComputeAsync(asked, [comparator], ct)).Rows;
                foreach (var r in comparatorRows) rows[(r.OrganisationCode, r.Period, r.IndicatorId, r.Group)] = r;
            }
            // Which comparator each provider belongs to; an ICB's region is the one holding its providers.
            var of = new Dictionary<string, string>();
            foreach (var comparator in comparators)
                foreach (var provider in comparator.Providers)
                    of[provider] = comparator.Code;
            levels[name] = (of, rows);
        }

        var organisations = result.Organisations.ToDictionary(o => o.Code);
        return result.Rows.Select(row =>
        {
            var organisation = organisations[row.OrganisationCode];
            var polarity = IndicatorCatalogue.ById[row.IndicatorId].Polarity;
            var (lower, upper) = IntervalAt(row, z);
            var outcomes = names.Select(name =>
            {
                if (name == "benchmark")
                    return new ComparatorOutcome(name, null, row.Benchmark, Fingertips.Compare(lower, upper, row.Benchmark, polarity));
                var (of, rows) = levels[name];
                var code = (name, organisation.Level) switch
                {
                    ("icb", not OrganisationLevel.Provider) or ("region", OrganisationLevel.Region or OrganisationLevel.England) => null,
                    _ => organisation.Providers.Select(p => of.GetValueOrDefault(p)).FirstOrDefault(c => c is not null),
                };
                if (code is null || code == organisation.Code) return new ComparatorOutcome(name, code, null, Outcome.NotCompared);
                var value = rows.GetValueOrDefault((code, row.Period, row.IndicatorId, row.Group))?.Value;
                return new ComparatorOutcome(name, code, value, Fingertips.Compare(lower, upper, value, polarity));
            }).ToList();
            return row with { Comparisons = outcomes };
        }).ToList();
    }

    /// <summary>
    /// A comparator as a provider's own key may see it. The key knows its own cells exactly, so the comparator's published
    /// cells, less its own, would give back the rest of the comparator (its other providers) where the rules hide it: own 7
    /// black people on the caseload, the ICB's 5 (5 to 7), and the other services hold none. So the comparator is published
    /// for that key as its own exact cells plus the rest as the rules publish the rest (under 5 hidden, others rounded,
    /// secondary suppression within the rest's own table); taking the one from the other leaves exactly the rest's
    /// published table, which the rules already make safe. Every derived number comes from those cells.
    /// </summary>
    private static async Task<IReadOnlyList<IndicatorValue>> KnownToTheKeyAsync(IndicatorService service, IndicatorQuery asked,
        Organisation comparator, IndicatorResult own, Breakdown breakdown, CancellationToken ct)
    {
        var provider = own.Organisations.Single();
        var ownCells = own.Cells[provider.Code];
        var rest = comparator with { Code = $"{comparator.Code}-without-{provider.Code}", Providers = comparator.Providers.Where(p => p != provider.Code).ToList() };
        var restCells = (await service.ComputeAsync(asked with { Code = rest.Code }, [rest], ct)).Cells[rest.Code];
        var whole = (await service.ComputeAsync(asked, [comparator], ct)).Rows;
        var periods = Period.Series(asked.PeriodType, asked.FromMonth, asked.ToMonth).Select((p, i) => (p.Label, i))
            .ToDictionary(p => p.Label, p => p.i);
        var groups = Breakdowns.Groups(breakdown).Select((g, i) => (g, i)).ToDictionary(g => g.g, g => g.i);
        long? Known(Cell? cell, IndicatorValue row)
        {
            if (cell is not { } c) return null;
            var key = new CellKey(c, periods[row.Period],
                breakdown == Breakdown.None ? DisclosureControl.All : DisclosureControl.TableGroup(breakdown, groups[row.Group]));
            return restCells.GetValueOrDefault(key) is { } published ? ownCells.GetValueOrDefault(key) + published : null;
        }
        return whole.Select(row =>
        {
            var (numerator, denominator) = DisclosureControl.CellsOf(row.IndicatorId);
            var (n, d) = (Known(numerator, row), Known(denominator, row));
            var figures = DisclosureControl.Publish(row.Unit, n, d, d is null ? null : row.Value, row.Benchmark, exact: false);
            return row with
            {
                Numerator = figures.Numerator,
                Denominator = figures.Denominator,
                Value = figures.Value,
                Suppressed = figures.Suppressed
            };
        }).ToList();
    }

    /// <summary>A percentage's interval at the asked level, from its published counts; none for counts and medians.</summary>
    private static (double? Lower, double? Upper) IntervalAt(IndicatorValue row, double z)
    {
        if (row.Unit != Unit.Percent || row.Suppressed || row.Numerator is not { } x || row.Denominator is not { } n) return (null, null);
        if (z == Fingertips.Z95) return (row.LowerCi, row.UpperCi);
        return Statistics.Wilson(x, n, z) is { } interval ? (Math.Round(interval.Lower * 100, 2), Math.Round(interval.Upper * 100, 2))
            : (null, null);
    }

    /// <summary>
    /// Each percentage row's recent trend: the chi-squared test for trend over the five latest periods that do not
    /// overlap, ending at the row's own (five months, quarters or financial years; rolling years 12 months apart), from
    /// their published counts. A count has none; fewer than five periods with a denominator cannot be calculated.
    /// </summary>
    public static async Task<IReadOnlyList<IndicatorValue>> TrendAsync(IndicatorService service, IndicatorQuery query,
        IndicatorResult result, IReadOnlyList<IndicatorValue> rows, CancellationToken ct)
    {
        var step = query.PeriodType switch { PeriodType.Month => 1, PeriodType.Quarter => 3, _ => 12 };
        // One period asked for (a spine, a dashboard): the four earlier ones alone, not every window between them.
        var earlier = query.FromMonth == query.ToMonth
            ? Enumerable.Range(1, 4).Select(k => query with { FromMonth = query.FromMonth - k * step, ToMonth = query.ToMonth - k * step })
            : [query with { FromMonth = query.FromMonth - 4 * step }];
        var wide = new Dictionary<(string, int, string, string), IndicatorValue>();
        foreach (var rowsOf in earlier.Prepend(query))
            foreach (var r in (await service.ComputeAsync(rowsOf, result.Organisations, ct)).Rows)
                wide[(r.OrganisationCode, Period.MonthIndex(r.PeriodEnd), r.IndicatorId, r.Group)] = r;
        return rows.Select(row =>
        {
            if (row.Unit != Unit.Percent) return row;
            var end = Period.MonthIndex(row.PeriodEnd);
            var periods = Enumerable.Range(0, 5).Reverse()
                .Select(k => wide.GetValueOrDefault((row.OrganisationCode, end - k * step, row.IndicatorId, row.Group)))
                .Select(r => (Numerator: r?.Numerator ?? 0, Denominator: r is { Numerator: not null, Denominator: { } n } ? n : 0L))
                    .ToList();
            return row with { Trend = Fingertips.TrendOf(periods, IndicatorCatalogue.ById[row.IndicatorId].Polarity) };
        }).ToList();
    }

    /// <summary>
    /// Each row's quartile among every organisation of its level (providers, or ICBs) with a published value for the
    /// same period, indicator and group, as QUARTILE.INC puts them; peers in their safe form, whoever asks.
    /// </summary>
    public static async Task<IReadOnlyList<IndicatorValue>> QuartileAsync(IndicatorService service, IndicatorQuery query,
        IReadOnlyList<IndicatorValue> rows, CancellationToken ct)
    {
        if (query.Level is not (OrganisationLevel.Provider or OrganisationLevel.Icb)) return rows;
        var peers = await service.OrganisationsAsync(query.Level, null, null, ct) ?? [];
        var quartiles = (await service.ComputeAsync(query with { Code = null, Within = null, Exact = false }, peers, ct)).Rows
            .Where(r => r.Value is not null).GroupBy(r => (r.Period, r.IndicatorId, r.Group))
            .ToDictionary(g => g.Key, g => Fingertips.QuartilesOf(g.Select(r => r.Value!.Value)));
        return rows.Select(row => row.Value is { } value && quartiles.GetValueOrDefault((row.Period, row.IndicatorId, row.Group)) is { } q
            ? row with { Quartile = Fingertips.QuartileOf(value, q) } : row).ToList();
    }
}
