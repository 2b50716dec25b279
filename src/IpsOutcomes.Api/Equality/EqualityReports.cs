using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Equality;

/// <summary>
/// The equality report built from an indicator result's published cells and the loaded populations: what the
/// report route serves, and what the quality mark's racial-equality criterion asks of a provider.
/// </summary>
public static class EqualityReports
{
    internal sealed class PopulationRow
    {
        public string OrganisationCode { get; init; } = "";
        public string GroupCode { get; init; } = "";
        public long People { get; init; }
        public string? RegionCode { get; set; }
    }

    /// <summary>The loaded populations of each financial year, read once however many organisations' reports are built from them.</summary>
    public sealed class PopulationTables(ReferenceDataStore store)
    {
        private readonly Dictionary<string, IReadOnlyList<PopulationRow>> years = [];

        internal async Task<IReadOnlyList<PopulationRow>> OfAsync(string year, CancellationToken ct) =>
            years.TryGetValue(year, out var rows) ? rows : years[year] = await store.PopulationsOfYearAsync(year, ct);
    }

    /// <summary>The report for every period of the query, from the indicator figures as the query publishes them and the loaded
    /// populations.</summary>
    public static async Task<EqualityReportView> BuildAsync(PopulationTables populations, IndicatorResult result, IndicatorQuery query,
        Organisation organisation, string[] groups, string outcomeIndicator, string referenceGroup, CancellationToken ct)
    {
        var exact = query.Exact;
        var cells = result.Cells[organisation.Code];
        var (numeratorCell, denominatorCell) = DisclosureControl.CellsOf(outcomeIndicator);
        var periods = Period.Series(query.PeriodType, query.FromMonth, query.ToMonth);
        var populationsByYear = new Dictionary<string, long?[]>();
        var report = new List<EqualityPeriod>();
        foreach (var period in periods)
        {
            var year = Period.FinancialYearOf(period.LastMonth);
            if (!populationsByYear.TryGetValue(year, out var population))
                populationsByYear[year] = population = Populations(await populations.OfAsync(year, ct), organisation, query.Breakdown,
                    groups);
            var w = report.Count;
            long? Published(Cell cell, int group)
                => cells[new CellKey(cell, w, group < 0 ? group : DisclosureControl.TableGroup(query.Breakdown, group))];
            long? Safe(long? count) => count is { } c && !exact ? DisclosureControl.SafeCount(c) : count;
            var figures = groups.Select((group, i) => new GroupFigures(group, !Breakdowns.IsUnknownEthnicity(query.Breakdown, i),
                Published(Cell.Accessed, i), Safe(population[i]), Published(numeratorCell!.Value, i), Published(denominatorCell!.Value, i)))
                    .ToList();
            var totalPopulation = population.Any(p => p is not null) ? Safe(population.Sum(p => p ?? 0)) : null;
            var (unknown, access, outcome) = EqualityReport.Build(figures, Published(Cell.Accessed, DisclosureControl.Known),
                Published(Cell.Accessed, DisclosureControl.All), totalPopulation, outcomeIndicator, referenceGroup, exact);
            report.Add(new EqualityPeriod(period.Label, period.FirstDay, period.LastDay, year, unknown, access, outcome));
        }
        return new EqualityReportView(organisation.Code, organisation.Name, organisation.Level.ToString().ToLowerInvariant(),
            IndicatorService.PeriodTypeName(query.PeriodType), Breakdowns.Name(query.Breakdown), outcomeIndicator, referenceGroup,
            exact ? "none" : "safe", result.Version, report);
    }

    /// <summary>The population of each group of the breakdown, from what was loaded (broad groups, categories or both across
    /// organisations).</summary>
    private static long?[] Populations(IReadOnlyList<PopulationRow> rows, Organisation organisation, Breakdown breakdown, string[] groups)
    {
        var mine = rows.Where(r => organisation.Level switch
        {
            OrganisationLevel.Provider or OrganisationLevel.Icb => r.OrganisationCode == organisation.Code,
            OrganisationLevel.Region => r.RegionCode == organisation.Code,
            _ => r.RegionCode is not null, // England: every ICB's population
        }).ToList();
        var result = new long?[groups.Length];
        if (mine.Count == 0) return result;
        for (var i = 0; i < groups.Length; i++)
        {
            if (Breakdowns.IsUnknownEthnicity(breakdown, i)) continue;
            result[i] = breakdown switch
            {
                Breakdown.EthnicGroup
                    => mine.Where(r => r.GroupCode == groups[i]
                    || (r.GroupCode.Length == 1 && Breakdowns.BroadGroupOf(r.GroupCode) == groups[i])).Sum(r => r.People),
                Breakdown.EthnicCategory => mine.Any(r => r.GroupCode.Length == 1) ? mine.Where(r => r.GroupCode == groups[i])
                    .Sum(r => r.People) : null,
                _ => !mine.Any(r => r.GroupCode == "A") ? null
                    : i == 0 ? mine.Where(r => r.GroupCode == "A").Sum(r => r.People) : mine.Where(r => r.GroupCode != "A")
                        .Sum(r => r.People),
            };
        }
        return result;
    }
}
