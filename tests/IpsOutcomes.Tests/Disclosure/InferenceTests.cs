using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using IpsOutcomes.Indicators;
using IpsOutcomes.Tests.Returns;

namespace IpsOutcomes.Tests.Disclosure;

/// <summary>
/// Attacks on disclosure control by an ICB key without the unsuppressed permission, on a small dataset with many cells
/// of 1 to 4: three services of one ICB (QWO) and one of a neighbouring ICB in the same region. The attacker reads
/// every indicator, breakdown, period type and level it may, the equality report, the dashboard summary and the
/// completeness report, and tries to pin each suppressed count: by inverting percentages and intervals, by
/// complements within a table, and by subtraction across levels and periods. The truth comes from a national key with
/// exact figures; a pin counts only where it is the true count.
/// </summary>
public sealed partial class InferenceTests(InferenceTests.Dataset data) : IClassFixture<InferenceTests.Dataset>
{
    internal const string From = "2024-01", To = "2025-03";
    internal static readonly string[] PeriodTypes = ["month", "quarter", "fytd", "rolling12"];
    internal static readonly string[] Levels = ["provider&code=INF01", "provider&code=INF02", "provider&code=INF03", "icb&code=QWO", "region&code=Y63", "england"];
    internal static readonly Breakdown[] AllBreakdowns = [Breakdown.None, Breakdown.EthnicGroup, Breakdown.EthnicCategory,
        Breakdown.WhiteBritish, Breakdown.Gender, Breakdown.AgeBand];

    // Cells that add up over the months of a period (events dated in the month); the rest (caseload, people, follow-up) do not.
    private static readonly Quantity[] AdditiveInTime =
    [
        Quantity.Referrals, Quantity.ReferralsInWork, Quantity.Accessed, Quantity.Within30, Quantity.Within7, Quantity.From8To30,
            Quantity.Over30, Quantity.JobStarts,
        Quantity.Discharges, Quantity.OutOfWorkAccessed,
    ];

    public sealed class Dataset : IAsyncLifetime
    {
        public TestApp App { get; } = new();
        public HttpClient Attacker { get; private set; } = null!;
        public HttpClient Truth { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var random = new Random(20261130);
            foreach (var (provider, icb, size) in new[] { ("INF01", "QWO", 9), ("INF02", "QWO", 3), ("INF03", "QWO", 2), ("INF04", "QF7", 4) })
            {
                await App.RegisterProviderAsync(provider, icb);
                using var client = App.ClientWithKey(await App.IssueKeyAsync("provider", provider));
                var submission = await ReturnKit.SubmitAsync(client, provider, To, ReturnFile(random, provider, size));
                Assert.Equal("accepted", submission.GetProperty("status").GetString());
            }
            using var analyst = App.ClientWithKey(await App.IssueKeyAsync("icb", "QWO"));
            var populations = "organisation_code,financial_year,group,count\n" + string.Join("\n",
                from organisation in new[] { "QWO", "INF01", "INF02", "INF03" }
                from year in new[] { "2023-24", "2024-25" }
                from g in new[] { ("white", 400), ("mixed", 40), ("asian", 120), ("black", 60), ("other", 30) }
                select $"{organisation},{year},{g.Item1},{g.Item2}") + "\n";
            await Expect.Status(await analyst.PostAsync("/api/v1/reference/populations", new StringContent(populations, Encoding.UTF8, "text/csv")),
                System.Net.HttpStatusCode.OK);
            await Expect.Status(await analyst.PostAsync("/api/v1/reference/access-targets",
                new StringContent("icb_code,financial_year,target\nQWO,2024-25,100\n", Encoding.UTF8, "text/csv")), System.Net.HttpStatusCode.OK);
            Attacker = App.ClientWithKey(await App.IssueKeyAsync("icb", "QWO", name: "attacker"));
            Truth = App.ClientWithKey(await App.IssueKeyAsync("national", unsuppressed: true, name: "truth"));
        }

        /// <summary>A service's return: about <paramref name="perMonth"/> referrals a month over 2024-25, spread over many small
        /// groups.</summary>
        internal static string ReturnFile(Random random, string provider, int perMonth)
        {
            var end = new DateOnly(2025, 3, 31);
            var categories = new[] { "A", "A", "A", "B", "C", "D", "H", "J", "K", "M", "N", "P", "R", "S", "Z", "99" };
            var statuses = new[] { "unemployed", "unemployed", "unemployed", "economically_inactive", "employed" };
            var rows = new List<string>();
            for (var month = new DateOnly(2024, 4, 1); month <= end; month = month.AddMonths(1))
            {
                var count = random.Next(perMonth / 2, perMonth + 2);
                for (var i = 0; i < count; i++)
                {
                    var referred = month.AddDays(random.Next(0, 28));
                    var contact = random.Next(4) == 0 ? (DateOnly?)null
                        : referred.AddDays(random.Next(0, 3) switch
                        {
                            0 => random.Next(0, 8),
                            1 => random.Next(8, 31),
                            _ => random.Next(31, 60)
                        });
                    if (contact > end) contact = null;
                    var employer = contact is { } c && random.Next(2) == 0 ? c.AddDays(random.Next(0, 45)) : (DateOnly?)null;
                    if (employer > end) employer = null;
                    var job = contact is { } c2 && random.Next(3) == 0 ? c2.AddDays(random.Next(10, 120)) : (DateOnly?)null;
                    if (job > end) job = null;
                    var jobEnd = job is { } j && random.Next(3) == 0 ? j.AddDays(random.Next(20, 150)) : (DateOnly?)null;
                    if (jobEnd > end) jobEnd = null;
                    var last = new[] { referred, contact ?? referred, employer ?? referred }.Max();
                    var discharged = random.Next(4) == 0 ? last.AddDays(random.Next(1, 60)) : (DateOnly?)null;
                    if (discharged > end) discharged = null;
                    string D(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
                    var id = $"{provider}-{month:yyMM}-{i}";
                    rows.Add(string.Join(",", id, random.Next(8) == 0 ? $"{provider}-repeat-{random.Next(3)}" : "C" + id, D(referred),
                        "secondary_mental_health", categories[random.Next(categories.Length)], random.Next(1, 3), random.Next(18, 70),
                        statuses[random.Next(statuses.Length)], D(contact), D(employer), D(job), D(jobEnd), job is null ? "" : "20",
                        job is null ? "" : random.Next(4) == 0 ? "self_employed" : "competitive", D(discharged), discharged is null ? "" : "other"));
                }
            }
            return ReturnKit.Header + "\n" + string.Join("\n", rows) + "\n";
        }

        public Task DisposeAsync()
        {
            App.Dispose();
            return Task.CompletedTask;
        }
    }

    internal static string Query(string level, string periodType, Breakdown breakdown) =>
        $"level={level}&period_type={periodType}&from={From}&to={To}&breakdown={Breakdowns.Name(breakdown)}";

    internal static async Task<JsonElement[]> Indicators(HttpClient client, string query) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/v1/indicators?" + query)).EnumerateArray().ToArray();

    internal static long? Long(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;

    internal static double? Double(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    /// <summary>The counts a row shows, as (cell, published count or null where suppressed).</summary>
    internal static IEnumerable<(Unknown Unknown, long? Count)> Counts(JsonElement row)
    {
        var id = row.GetProperty("indicator_id").GetString()!;
        var organisation = row.GetProperty("organisation_code").GetString()!;
        var periodType = row.GetProperty("period_type").GetString()!;
        var period = row.GetProperty("period").GetString()!;
        var group = Qualified(row.GetProperty("breakdown").GetString()!, row.GetProperty("group").GetString()!);
        if (id == "accessed_vs_target_pct")
        {
            var month = Period.MonthIndex(DateOnly.Parse(row.GetProperty("period_end").GetString()!, CultureInfo.InvariantCulture));
            yield return (new Unknown(organisation, "fytd", Period.Ending(PeriodType.Fytd, month).Label, Quantity.Accessed, "all"), Long(row, "numerator"));
            yield break;
        }
        var (numerator, denominator) = Quantities.Of(id);
        var unit = IndicatorCatalogue.ById[id].Unit;
        if (numerator is { } n) yield return (new Unknown(organisation, periodType, period, n, group),
            unit == Unit.Count ? Long(row, "value") : Long(row, "numerator"));
        if (denominator is { } d) yield return (new Unknown(organisation, periodType, period, d, group), Long(row, "denominator"));
    }

    /// <summary>A group's name with its breakdown's (gender and ethnicity both have a not_known).</summary>
    internal static string Qualified(string breakdown, string group) => breakdown == "none" ? "all" : $"{breakdown}:{group}";

    [Fact]
    public async Task AnIcbKeyWithoutThePermissionPinsNoSuppressedCount()
    {
        // Everything the attacker can read, and the truth beside it.
        var read = new List<JsonElement>();
        var truth = new Dictionary<Unknown, long>();
        foreach (var level in Levels)
            foreach (var periodType in PeriodTypes)
                foreach (var breakdown in AllBreakdowns)
                {
                    read.AddRange(await Indicators(data.Attacker, Query(level, periodType, breakdown)));
                    foreach (var row in await Indicators(data.Truth, Query(level, periodType, breakdown) + "&disclosure=none"))
                        foreach (var (unknown, count) in Counts(row))
                            truth[unknown] = count ?? 0;
                }
        var equality = await EqualityReportsAsync();
        var summaries = await SummariesAsync();
        read.AddRange(summaries);

        // Every derived number says nothing the published counts do not: worked out from them, it is the same.
        var leaks = read.Where(row => !DerivedFromPublished(row)).Select(row => "derived from exact counts: " + Describe(row)).ToList();
        leaks.AddRange(equality.SelectMany(EqualityLeaks));
        leaks.AddRange(await CompletenessLeaksAsync(read));

        // A cell reads the same wherever it appears (an indicator, a denominator, the equality report, the summary).
        var observations = read.SelectMany(Counts).Concat(equality.SelectMany(EqualityCounts)).GroupBy(o => o.Unknown)
            .ToDictionary(g => g.Key, g => g.Select(o => o.Count).Distinct().ToList());
        leaks.AddRange(observations.Where(o => o.Value.Count > 1)
            .Select(o => $"shown in one place, hidden or different in another: {o.Key} {string.Join(" / ", o.Value.Select(v => v?.ToString(CultureInfo.InvariantCulture) ?? "suppressed"))}"));
        var suppressed = observations.Where(o => o.Value.Contains(null)).Select(o => o.Key).ToList();
        Assert.True(suppressed.Count(u => truth.GetValueOrDefault(u) is > 0 and < 5) > 100, "the dataset has many cells of 1 to 4");

        // Inversion, complements and subtraction. A suppressed cell may be anything from 0: it may be under 5, or hidden
        // to protect another (taking every one for under 5 is a guess that is wrong for those, so it pins nothing for sure).
        var solver = Solver(observations, read);
        var pinned = suppressed.Where(u => solver[u] is var (low, high) && low == high).ToList();
        Assert.All(pinned, u => Assert.Equal(truth.GetValueOrDefault(u), solver[u].Low)); // the solver is sound
        leaks.AddRange(pinned.Select(u => $"pinned: {u} = {solver[u].Low}"));
        Assert.True(leaks.Count == 0, $"{leaks.Count} leaks ("
            + string.Join(", ", leaks.GroupBy(l => l[..l.IndexOf(':')]).Select(g => $"{g.Key}: {g.Count()}")) + "):\n"
            + string.Join("\n", leaks.GroupBy(l => l[..l.IndexOf(':')]).SelectMany(g => g.Take(8))));
    }

    /// <summary>
    /// A large service's own key (issue 22): its own figures exact, and its ICB, region and England as comparators. What it
    /// knows exactly must not let it solve its neighbours' counts: own 7 black people on the caseload and an ICB of 5 (5 to
    /// 7) would say the other services hold none. Every count indicator's comparator is read, for every period type and
    /// breakdown, and taken as the weakest thing a comparator can mean, whichever way it was published (the comparator
    /// within 2 of its value, the rest of it at least 0), so the attack is sound against the old answers and the new.
    /// </summary>
    [Fact]
    public async Task AServicesOwnKeyPinsNoCountOfItsNeighbours()
    {
        using var own = data.App.ClientWithKey(await data.App.IssueKeyAsync("provider", "INF01", name: "large service"));
        var solver = new IntervalSolver();
        var truth = new Dictionary<Unknown, long>();
        var (shown, hidden) = (0, 0);
        foreach (var periodType in PeriodTypes)
            foreach (var breakdown in AllBreakdowns)
            {
                foreach (var level in Levels)
                    foreach (var row in await Indicators(data.Truth, Query(level, periodType, breakdown) + "&disclosure=none"))
                        foreach (var (unknown, count) in Counts(row))
                            truth[unknown] = count ?? 0;
                foreach (var row in await Indicators(own, Query("provider&code=INF01", periodType, breakdown) + "&compare=icb,region,england"))
                {
                    var counts = Counts(row).ToList();
                    foreach (var (unknown, count) in counts)
                        if (count is { } exact) solver.Observe(unknown, exact, exact); // its own cells, exact
                    if (IndicatorCatalogue.ById[row.GetProperty("indicator_id").GetString()!].Unit != Unit.Count || counts[0]
                        .Count is not { } mine) continue;
                    foreach (var comparison in row.GetProperty("comparisons").EnumerateArray())
                    {
                        var rest = counts[0].Unknown with { Organisation = comparison.GetProperty("code").GetString() + " without INF01" };
                        if (Double(comparison, "value") is { } value)
                        {
                            solver.Observe(rest, Math.Max(0, (long)value - mine - 2), (long)value - mine + 2);
                            shown++;
                        }
                        else hidden++;
                    }
                }
            }
        Assert.True(shown > 1000 && hidden > 100, $"{shown} comparators shown, {hidden} hidden");

        string[] rests = ["QWO without INF01", "Y63 without INF01", "england without INF01"];
        Relate(solver, ["INF01", "INF02", "INF03", "QWO", "Y63", "england", .. rests],
            [("QWO", ["INF01", rests[0]]), ("Y63", ["INF01", rests[1]]), ("england", ["INF01", rests[2]])]);
        solver.Solve();
        var neighbours = truth.Keys.Where(u => u.Organisation is "INF02" or "INF03" or "QWO" or "Y63" or "england")
            .Concat(truth.Keys.Where(u => u.Organisation == "QWO").Select(u => u with { Organisation = rests[0] })).ToList();
        long Truth(Unknown u) => u.Organisation == rests[0]
            ? truth.GetValueOrDefault(u with { Organisation = "QWO" }) - truth.GetValueOrDefault(u with { Organisation = "INF01" })
            : truth.GetValueOrDefault(u);
        var pinned = neighbours.Where(u => solver[u] is var (low, high) && low == high).ToList();
        Assert.All(pinned, u => Assert.Equal(Truth(u), solver[u].Low)); // the solver is sound
        Assert.True(pinned.Count == 0, $"{pinned.Count} of {neighbours.Count} neighbours' counts pinned:\n"
            + string.Join("\n", pinned.Take(12).Select(u => $"{u} = {solver[u].Low}")));
    }

    /// <summary>What each published count says of its cell: exact off the rounding grid, within 2 of it on the grid, anything from 0
    /// where suppressed.</summary>
    internal static void Observe(IntervalSolver solver, Dictionary<Unknown, List<long?>> observations)
    {
        foreach (var (unknown, counts) in observations)
            foreach (var count in counts)
            {
                // A count off the rounding grid was published exact; one on it stands for any count that rounds to it.
                if (count is { } exact && (exact < 5 || exact % 5 != 0)) solver.Observe(unknown, exact, exact);
                else if (count is { } published) solver.Observe(unknown, Math.Max(5, published - 2), published + 2);
                else solver.Observe(unknown, 0, IntervalSolver.Unbounded);
            }
    }

    /// <summary>Every relation an attacker knows between the counts, with what was read of each.</summary>
    private static IntervalSolver Solver(Dictionary<Unknown, List<long?>> observations, List<JsonElement> read)
    {
        var solver = new IntervalSolver();
        Observe(solver, observations);
        // Inversion: a percentage and interval worked out from exact counts fit only some of the pairs the rounded counts allow.
        foreach (var row in read.Where(r => !DerivedFromPublished(r) && Double(r, "value") is not null && Long(r, "numerator") is not null
            && Long(r, "denominator") is not null))
        {
            var counts = Counts(row).ToList();
            if (counts.Count != 2) continue;
            long n = Long(row, "numerator")!.Value, d = Long(row, "denominator")!.Value;
            var fits = (from x in Enumerable.Range((int)Math.Max(0, n - 2), 5)
                        from y in Enumerable.Range((int)Math.Max(1, d - 2), 5)
                        where x <= y && Fits(row, x, y)
                        select (x, y)).ToList();
            if (fits.Count == 0) continue;
            solver.Observe(counts[0].Unknown, fits.Min(f => f.x), fits.Max(f => f.x));
            solver.Observe(counts[1].Unknown, fits.Min(f => f.y), fits.Max(f => f.y));
        }
        Relate(solver, ["INF01", "INF02", "INF03", "QWO", "Y63", "england"], []);
        solver.Solve();
        return solver;
    }

    /// <summary>
    /// Every relation that holds between the counts, whoever reads them: the levels (the ICB is its three services; the
    /// region and England hold the ICB and others unseen, and <paramref name="levels"/> more), periods made of months, and
    /// complements within each of <paramref name="organisations"/>' tables.
    /// </summary>
    /// <param name="named">The name an organisation's counts go by (a state of the data's, where two are read side by side);
    /// by default its own.</param>
    internal static void Relate(IntervalSolver solver, string[] organisations, (string Total, string[] Parts)[] levels,
        Func<string, string>? named = null)
    {
        named ??= organisation => organisation;
        var first = Period.MonthIndex(new DateOnly(2023, 1, 1));
        var last = Period.MonthIndex(new DateOnly(2025, 3, 1));
        var cells = Enum.GetValues<Quantity>();
        // Every total the attacker knows and the groups that add up to it: each breakdown's groups make the total; broad
        // ethnic groups are made of categories, white British is category A, and known ethnicity is the same in all three.
        var partitions = AllBreakdowns.Skip(1)
            .Select(b => ("all", Breakdowns.Groups(b).Select(g => Qualified(Breakdowns.Name(b), g)).ToArray())).ToList();
        string Category(string c) => Qualified("ethnic_category", c);
        var knownCategories = Breakdowns.EthnicCategories.Take(Breakdowns.NotStated).Select(Category).ToArray();
        partitions.AddRange(Breakdowns.EthnicGroups.Select(g => (Qualified("ethnic_group", g),
            Breakdowns.EthnicCategories.Where(c => Breakdowns.BroadGroupOf(c) == g).Select(Category).ToArray())));
        partitions.AddRange([("white_british:white_british", [Category("A")]), ("white_british:not_stated", [Category("Z")]),
            ("white_british:not_known", [Category("99")]), ("known", knownCategories),
            ("known", Breakdowns.EthnicGroups.Take(5).Select(g => Qualified("ethnic_group", g)).ToArray()),
            ("known", ["white_british:white_british", "white_british:other_known"])]);
        var allGroups = partitions.SelectMany(p => p.Item2.Prepend(p.Item1)).Distinct().ToList();
        foreach (var periodType in Enum.GetValues<PeriodType>())
            foreach (var period in Enumerable.Range(first, last - first + 1).Select(m => Period.Ending(periodType, m)).Distinct())
            {
                var typeName = IndicatorService.PeriodTypeName(periodType);
                Unknown U(string organisation, Quantity cell, string group) =>
                    new(named(organisation), typeName, period.Label, cell, group);
                foreach (var cell in cells)
                {
                    // Levels: the ICB is its three services; the region and England hold the ICB and others unseen.
                    foreach (var group in allGroups)
                    {
                        solver.Relate(U("QWO", cell, group), new[] { "INF01", "INF02", "INF03" }.Select(p => U(p, cell, group)));
                        solver.Relate(U("Y63", cell, group), [U("QWO", cell, group), U("rest of Y63", cell, group)]);
                        solver.Relate(U("england", cell, group), [U("Y63", cell, group), U("rest of England", cell, group)]);
                        foreach (var (total, parts) in levels) solver.Relate(U(total, cell, group), parts.Select(p => U(p, cell, group)));
                    }
                    // Periods: a quarter, a year to date or a rolling year is its months.
                    if (periodType != PeriodType.Month && AdditiveInTime.Contains(cell))
                        foreach (var organisation in organisations)
                            foreach (var group in allGroups)
                                solver.Relate(U(organisation, cell, group),
                                    Enumerable.Range(period.FirstMonth, period.LastMonth - period.FirstMonth + 1)
                                    .Select(m => new Unknown(named(organisation), "month", Period.MonthLabel(m), cell, group)));
                    // Complements: groups and their total (a person may count in two groups of people_accessed).
                    if (cell != Quantity.PeopleAccessed)
                        foreach (var organisation in organisations)
                            foreach (var (total, parts) in partitions)
                                solver.Relate(U(organisation, cell, total), parts.Select(g => U(organisation, cell, g)));
                }
                // Complements: the first-contact bands.
                foreach (var organisation in organisations)
                    foreach (var group in allGroups)
                    {
                        solver.Relate(U(organisation, Quantity.Accessed, group),
                            [U(organisation, Quantity.Within7, group), U(organisation, Quantity.From8To30, group),
                            U(organisation, Quantity.Over30, group)]);
                        solver.Relate(U(organisation, Quantity.Accessed, group),
                            [U(organisation, Quantity.Within30, group), U(organisation, Quantity.Over30, group)]);
                        solver.Relate(U(organisation, Quantity.Within30, group),
                            [U(organisation, Quantity.Within7, group), U(organisation, Quantity.From8To30, group)]);
                    }
            }
    }

    /// <summary>Whether a row's percentage, interval and comparison are exactly what its published counts give.</summary>
    internal static bool DerivedFromPublished(JsonElement row)
    {
        var definition = IndicatorCatalogue.ById[row.GetProperty("indicator_id").GetString()!];
        if (definition.Unit != Unit.Percent) return true;
        long? n = Long(row, "numerator"), d = Long(row, "denominator");
        if (n is null || d is null || d == 0) return Double(row, "value") is null && Double(row, "lower_ci") is null;
        return Fits(row, n.Value, d.Value);
    }

    /// <summary>Whether a row's percentage, interval and comparison are what <paramref name="n"/> of <paramref name="d"/> give.</summary>
    internal static bool Fits(JsonElement row, long n, long d)
    {
        var id = row.GetProperty("indicator_id").GetString()!;
        var definition = IndicatorCatalogue.ById[id];
        if (Double(row, "value") != Math.Round(100.0 * n / d, MidpointRounding.AwayFromZero)) return false;
        if (id == "accessed_vs_target_pct") return Double(row, "lower_ci") is null;
        var wilson = Statistics.Wilson(n, d)!.Value;
        var comparison = definition.Benchmark is { } b ? Statistics.Compare(wilson, b / 100).ToString().ToLowerInvariant() : null;
        return Double(row, "lower_ci") == Math.Round(wilson.Lower * 100, MidpointRounding.AwayFromZero)
            && Double(row, "upper_ci") == Math.Round(wilson.Upper * 100, MidpointRounding.AwayFromZero)
            && (row.GetProperty("comparison").ValueKind == JsonValueKind.Null ? null : row.GetProperty("comparison").GetString()) == comparison;
    }

    private static string Describe(JsonElement row) =>
        string.Join(" ", new[] { "organisation_code", "period_type", "period", "indicator_id", "group", "numerator", "denominator", "value", "lower_ci", "upper_ci" }
            .Select(p => row.GetProperty(p).ToString()));

    private async Task<List<(JsonElement Report, string Query)>> EqualityReportsAsync()
    {
        var reports = new List<(JsonElement, string)>();
        foreach (var level in Levels)
            foreach (var periodType in PeriodTypes)
                foreach (var breakdown in new[] { Breakdown.EthnicGroup, Breakdown.EthnicCategory, Breakdown.WhiteBritish })
                    foreach (var indicator in new[] { "employment_rate", "first_contact_over_30_days_pct" })
                    {
                        var query = Query(level, periodType, breakdown) + "&indicator=" + indicator;
                        reports.Add((await data.Attacker.GetFromJsonAsync<JsonElement>("/api/v1/reports/equality?" + query), query));
                    }
        return reports;
    }

    /// <summary>The counts the equality report shows: accessed per group, and its outcome's numerator and denominator.</summary>
    private static IEnumerable<(Unknown Unknown, long? Count)> EqualityCounts((JsonElement Report, string Query) equality)
    {
        var report = equality.Report;
        var organisation = report.GetProperty("organisation_code").GetString()!;
        var periodType = report.GetProperty("period_type").GetString()!;
        var (numerator, denominator) = Quantities.Of(report.GetProperty("indicator").GetString()!);
        var breakdown = report.GetProperty("breakdown").GetString()!;
        foreach (var period in report.GetProperty("periods").EnumerateArray())
        {
            Unknown U(Quantity cell, string group)
                => new(organisation, periodType, period.GetProperty("period").GetString()!, cell, Qualified(breakdown, group));
            foreach (var g in period.GetProperty("access").GetProperty("groups").EnumerateArray())
                yield return (U(Quantity.Accessed, g.GetProperty("group").GetString()!), Long(g, "accessed"));
            foreach (var g in period.GetProperty("outcome").GetProperty("groups").EnumerateArray())
            {
                yield return (U(numerator!.Value, g.GetProperty("group").GetString()!), Long(g, "numerator"));
                yield return (U(denominator!.Value, g.GetProperty("group").GetString()!), Long(g, "denominator"));
            }
            var unknown = period.GetProperty("unknown");
            var groups = Breakdowns.Groups(Enum.Parse<Breakdown>(breakdown.Replace("_", ""), true));
            yield return (U(Quantity.Accessed, groups[^2]), Long(unknown, "not_stated"));
            yield return (U(Quantity.Accessed, groups[^1]), Long(unknown, "not_known"));
        }
    }

    /// <summary>Shares, ratios, tests and warnings in the equality report that are not what the published counts give.</summary>
    private static IEnumerable<string> EqualityLeaks((JsonElement Report, string Query) equality)
    {
        foreach (var period in equality.Report.GetProperty("periods").EnumerateArray())
        {
            string Where(string what) => $"equality report: {what} ({equality.Query}, {period.GetProperty("period")})";
            var unknown = period.GetProperty("unknown");
            if (unknown.GetProperty("suppressed").GetBoolean() && unknown.GetProperty("warning").GetString() is { } warning
                && Percentages().Matches(warning).Any(m => m.Value != "10%"))
                yield return Where("a warning states a share whose counts are suppressed: " + warning);

            var access = period.GetProperty("access");
            var groups = access.GetProperty("groups").EnumerateArray().ToList();
            if (groups.Any(g => g.GetProperty("suppressed").GetBoolean() && (Double(g, "accessed_share_pct") ?? Double(g, "representation_ratio")) is not null))
                yield return Where("a share or ratio beside a suppressed count");
            // Some published known total (a multiple of 5) must give every shown share and ratio back from the shown counts.
            var shown = groups.Where(g => Long(g, "accessed") is not null && Double(g, "accessed_share_pct") is not null).ToList();
            const long population = 650; // the loaded populations, all multiples of 5
            bool FromPublished(long known) => shown.All(g =>
                Double(g, "accessed_share_pct") == Math.Round(100.0 * Long(g, "accessed")!.Value / known, MidpointRounding.AwayFromZero)
                && (Double(g, "representation_ratio") is not { } ratio || ratio == Math.Round(
                    Statistics.RepresentationRatio(Long(g, "accessed")!.Value, known, Long(g, "population")!.Value,
                        population)!.Value.Value, 2, MidpointRounding.AwayFromZero)));
            if (shown.Count > 0 && !Enumerable.Range(1, 2000).Any(k => FromPublished(5L * k)))
                yield return Where("shares or ratios that no published total gives");
            if (groups.Any(g => g.GetProperty("suppressed").GetBoolean()) && Double(access, "chi_square") is not null)
                yield return Where("an access test with a suppressed group");

            var outcome = period.GetProperty("outcome");
            var outcomes = outcome.GetProperty("groups").EnumerateArray().ToList();
            var reference = outcomes.FirstOrDefault(g => g.GetProperty("group").GetString() == outcome.GetProperty("reference_group").GetString());
            foreach (var g in outcomes)
            {
                long? n = Long(g, "numerator"), d = Long(g, "denominator");
                if (n is null || d is null)
                {
                    if (Double(g, "rate") is not null || Double(g, "rate_ratio") is not null) yield return Where("a rate beside a suppressed count");
                    continue;
                }
                if (Double(g, "rate") is { } rate && rate != Math.Round(100.0 * n.Value / d.Value, MidpointRounding.AwayFromZero))
                    yield return Where($"rate {rate} is not {n} of {d}");
                if (Statistics.Wilson(n.Value, d.Value) is { } wilson
                    && Double(g, "lower_ci") != Math.Round(wilson.Lower * 100, 2, MidpointRounding.AwayFromZero))
                    yield return Where($"interval of {n} of {d}");
                if (Double(g, "rate_ratio") is { } ratio && reference.ValueKind == JsonValueKind.Object
                    && Statistics.RateRatio(n.Value, d.Value, Long(reference, "numerator")!.Value, Long(reference, "denominator")!.Value) is { } expected
                    && ratio != Math.Round(expected.Value, 2, MidpointRounding.AwayFromZero))
                    yield return Where($"rate ratio {ratio} is not from the published counts");
            }
            if (outcomes.Any(g => g.GetProperty("suppressed").GetBoolean()) && Double(outcome, "chi_square") is not null)
                yield return Where("an outcome test with a suppressed group");
            else if (Double(outcome, "chi_square") is { } chi
                && Statistics.ChiSquare(outcomes.Select(g => Long(g, "numerator")!.Value).ToList(),
                    outcomes.Select(g => Long(g, "denominator")!.Value - Long(g, "numerator")!.Value).ToList()) is { } test
                && chi != Math.Round(test.Statistic, 2, MidpointRounding.AwayFromZero))
                yield return Where($"chi-square {chi} is not from the published counts");
        }
    }

    [GeneratedRegex(@"\d+(\.\d+)?%")]
    private static partial Regex Percentages();

    private async Task<List<JsonElement>> SummariesAsync()
    {
        var rows = new List<JsonElement>();
        foreach (var (level, code) in new[] { ("provider", "INF01"), ("provider", "INF02"), ("provider", "INF03"), ("icb", "QWO") })
        {
            var summary = await data.Attacker.GetFromJsonAsync<JsonElement>($"/api/v1/indicators/summary?level={level}&code={code}");
            foreach (var tile in new[] { "accessed_rolling12", "employment_rate_rolling12", "ethnicity_recorded_rolling12" })
                if (summary.GetProperty(tile).ValueKind == JsonValueKind.Object) rows.Add(summary.GetProperty(tile));
        }
        return rows;
    }

    /// <summary>Counts of rows (people) the completeness report shows, and whether its ethnicity recording is the published one.</summary>
    private async Task<List<string>> CompletenessLeaksAsync(List<JsonElement> read)
    {
        var recorded = read.Where(r => r.GetProperty("indicator_id").GetString() == "ethnicity_recorded_pct" && r.GetProperty("period_type").GetString() == "month"
                && r.GetProperty("group").GetString() == "all" && r.GetProperty("organisation_level").GetString() == "provider")
            .ToDictionary(r => (r.GetProperty("organisation_code").GetString(), r.GetProperty("period").GetString()), r => Double(r, "value"));
        var report = await data.Attacker.GetFromJsonAsync<JsonElement>($"/api/v1/reports/completeness?from={From}&to={To}");
        var leaks = new List<string>();
        foreach (var p in report.GetProperty("providers").EnumerateArray())
        {
            var key = (p.GetProperty("provider_code").GetString(), p.GetProperty("period").GetString());
            foreach (var count in new[] { "row_count", "warning_count" })
                if (Long(p, count) is { } c && (c < 5 || c % 5 != 0)) leaks.Add($"completeness: {key} {count} {c}");
            if (Double(p, "ethnicity_recorded_pct") != recorded.GetValueOrDefault(key)) leaks.Add($"completeness: {key} ethnicity recorded {Double(p, "ethnicity_recorded_pct")}");
        }
        return leaks;
    }
}
