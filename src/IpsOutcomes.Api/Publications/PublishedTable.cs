using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Returns;
using Microsoft.Extensions.Caching.Memory;

namespace IpsOutcomes.Publications;

/// <summary>
/// The figures a publication is made of, as anyone may see them (under disclosure control): for its month, every organisation at
/// every level, every indicator, for the month, the quarter (when the month ends one), the financial year to date and the rolling
/// year, in total and by ethnic group. It is the open data download and what revisions compare; materialised when the
/// publication is cut, so that it outlives the row-level data retention deletes.
/// </summary>
public sealed class PublishedTable(IndicatorService indicators, AsPublished asPublished, FrozenParts parts, IMemoryCache cache)
{
    public const string Part = "figures";

    private static readonly OrganisationLevel[] Levels =
        [OrganisationLevel.England, OrganisationLevel.Region, OrganisationLevel.Icb, OrganisationLevel.Provider];

    public static readonly Breakdown[] Breakdowns = [Breakdown.None, Breakdown.EthnicGroup];

    public static IReadOnlyList<PeriodType> PeriodTypes(ReturnPeriod month) =>
        Period.Ending(PeriodType.Quarter, Period.MonthIndex(month.FirstDay)).LastMonth == Period.MonthIndex(month.FirstDay)
            ? [PeriodType.Month, PeriodType.Quarter, PeriodType.Fytd, PeriodType.Rolling12]
            : [PeriodType.Month, PeriodType.Fytd, PeriodType.Rolling12];

    /// <summary>The table of a publication: as materialised at its cut, or worked out from its frozen state.</summary>
    public async Task<IReadOnlyList<IndicatorValue>> OfAsync(Publication publication, CancellationToken ct) =>
        await parts.FindAsync<List<IndicatorValue>>(publication, Part, ct) ?? await ComputeAsync(publication, MonthOf(publication), ct);

    public static ReturnPeriod MonthOf(Publication publication) => ReturnPeriod.TryParse(publication.Month, out var month) ? month
        : throw new InvalidOperationException($"Publication {publication.Name} has no month.");

    /// <summary>Works the table out from the publication's frozen state and keeps it with the publication.</summary>
    public async Task MaterialiseAsync(Database database, Publication publication, CancellationToken ct)
    {
        var content = FrozenParts.Encode(await ComputeAsync(publication, MonthOf(publication), ct, paced: true));
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await parts.WriteAsync(connection, transaction, publication.Id, Part, content);
        await transaction.CommitAsync(ct);
    }

    /// <summary>The same table of current figures for a month, at the current data version.</summary>
    public async Task<IReadOnlyList<IndicatorValue>> CurrentAsync(ReturnPeriod month, CancellationToken ct)
    {
        using var current = asPublished.Use(null);
        var key = ("published-table", await indicators.DataVersionAsync(ct), month.ToString());
        if (cache.TryGetValue(key, out IReadOnlyList<IndicatorValue>? kept)) return kept!;
        var table = await ComputeAsync(null, month, ct);
        cache.Set(key, table, new MemoryCacheEntryOptions { Size = 400L * table.Count + 64, SlidingExpiration = TimeSpan.FromMinutes(10) });
        return table;
    }

    /// <summary>One organisation's part of the table in current figures: what a page's banner compares with its publication's.
    /// </summary>
    public async Task<IReadOnlyList<IndicatorValue>> ForOrganisationAsync(ReturnPeriod month, OrganisationLevel level, string code,
        CancellationToken ct)
    {
        using var current = asPublished.Use(null);
        var one = level == OrganisationLevel.England ? null : code;
        var organisations = await indicators.OrganisationsAsync(level, one, null, ct) ?? [];
        return organisations.Count == 0 ? [] : await RowsAsync(organisations, level, one, month, ct);
    }

    /// <summary>The rows of the organisations a level and code name (every one of the level, with null): the query names them as
    /// the indicator route does, since results are kept by query.</summary>
    private async Task<List<IndicatorValue>> RowsAsync(IReadOnlyList<Organisation> organisations, OrganisationLevel level, string? code,
        ReturnPeriod month, CancellationToken ct, bool paced = false)
    {
        var m = Period.MonthIndex(month.FirstDay);
        var ids = IndicatorCatalogue.All.Select(d => d.Id).ToList();
        var rows = new List<IndicatorValue>();
        foreach (var periodType in PeriodTypes(month))
            foreach (var breakdown in Breakdowns)
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                rows.AddRange((await indicators.ComputeAsync(new IndicatorQuery(level, code, null, periodType, m, m, ids, breakdown,
                    Exact: false), organisations, ct)).Rows);
                if (paced) await Task.Delay(System.Diagnostics.Stopwatch.GetElapsedTime(started), ct);
            }
        return rows;
    }

    /// <summary>Works the table out, as of a publication (or current figures, with null).</summary>
    /// <param name="paced">Work in the background: after each query, wait as long as it took, so that a cut takes at most half
    /// the machine from the people reading figures meanwhile.</param>
    public async Task<IReadOnlyList<IndicatorValue>> ComputeAsync(Publication? publication, ReturnPeriod month, CancellationToken ct,
        bool paced = false)
    {
        using var asOf = asPublished.Use(publication);
        var rows = new List<IndicatorValue>();
        foreach (var level in Levels)
            if (await indicators.OrganisationsAsync(level, null, null, ct) is { Count: > 0 } organisations)
                rows.AddRange(await RowsAsync(organisations, level, null, month, ct, paced));
        return rows;
    }
}
