namespace IpsOutcomes.Indicators;

/// <summary>A figure as published: one row per organisation × period × indicator × breakdown group.</summary>
public sealed record IndicatorValue(
    string OrganisationCode, string OrganisationName, string OrganisationLevel,
    string PeriodType, string Period, DateOnly PeriodStart, DateOnly PeriodEnd,
    string IndicatorId, Unit Unit, string Breakdown, string Group,
    long? Numerator, long? Denominator, double? Value, double? LowerCi, double? UpperCi,
    double? Benchmark, Comparison? Comparison, bool Suppressed, long DataVersion);

/// <summary>
/// The counts of people a published row shows: a count indicator's value, a percentage's numerator and denominator,
/// a median's number of values. Several indicators show the same cell (every first-contact percentage and the
/// median days to first contact have <see cref="Accessed"/> as their denominator), so one cell is suppressed or
/// shown alike wherever it appears.
/// </summary>
public readonly record struct CellKey(Cell Cell, int Window, int Group);

public enum Cell
{
    Referrals, ReferralsInWork, Accessed, PeopleAccessed, Caseload, Within30, Within7, From8To30, Over30, PeopleIntoWork,
    JobStarts, OutOfWorkAccessed, IntoWork, FollowedUp30Days, RapidJobSearch, DaysToJobValues, FollowedUp91Days, Sustained,
    Discharges, Open, OpenKnown,
}

/// <summary>
/// NHS England's small-number rules, made to survive inference, as pure functions. Below the rules (every level,
/// England included, unless exact figures were asked for with the permission):
/// <list type="bullet">
/// <item>a count under 5 is suppressed (primary suppression); any other is rounded to the nearest 5;</item>
/// <item>where cells add up to a total (the groups of a breakdown, known ethnicity against not stated and not known,
/// the first-contact bands), a total with exactly one hidden cell gets a second one hidden, the smallest shown one
/// (secondary suppression), so subtraction recovers nothing; likewise where the rounding ranges of the shown cells
/// would pin the hidden ones at zero;</item>
/// <item>every derived number (percentage, interval, benchmark comparison, median) is computed from the published
/// counts, never the exact ones, and is suppressed when any count it rests on is.</item>
/// </list>
/// </summary>
public static class DisclosureControl
{
    public const int Threshold = 5;

    /// <summary>The group index of a breakdown's total, and of its known-ethnicity subtotal.</summary>
    public const int All = -1, Known = -2;

    public static long? SafeCount(long count) => count < Threshold ? null : (long)Math.Round(count / 5.0, MidpointRounding.AwayFromZero) * 5;

    /// <summary>The true counts a published (rounded) count can stand for: rounding moves a count by at most 2, and a shown count is at least 5.</summary>
    public static (long Low, long High) Range(long published) => (Math.Max(Threshold, published - 2), published + 2);

    /// <summary>The cells an indicator's row shows: its count, or its numerator and denominator (a median: its number of values).</summary>
    public static (Cell? Numerator, Cell? Denominator) CellsOf(string indicatorId) => indicatorId switch
    {
        "referrals" => (Cell.Referrals, null),
        "referrals_in_work_pct" => (Cell.ReferralsInWork, Cell.Referrals),
        "accessed" => (Cell.Accessed, null),
        "people_accessed" => (Cell.PeopleAccessed, null),
        "caseload" => (Cell.Caseload, null),
        "first_contact_within_30_days_pct" => (Cell.Within30, Cell.Accessed),
        "first_contact_0_7_days_pct" => (Cell.Within7, Cell.Accessed),
        "first_contact_8_30_days_pct" => (Cell.From8To30, Cell.Accessed),
        "first_contact_over_30_days_pct" => (Cell.Over30, Cell.Accessed),
        "median_days_to_first_contact" => (null, Cell.Accessed),
        "people_into_work" => (Cell.PeopleIntoWork, null),
        "job_starts" => (Cell.JobStarts, null),
        "employment_rate" => (Cell.IntoWork, Cell.OutOfWorkAccessed),
        "rapid_job_search_pct" => (Cell.RapidJobSearch, Cell.FollowedUp30Days),
        "median_days_to_first_job" => (null, Cell.DaysToJobValues),
        "job_sustained_13_weeks_pct" => (Cell.Sustained, Cell.FollowedUp91Days),
        "discharges" => (Cell.Discharges, null),
        "ethnicity_recorded_pct" => (Cell.OpenKnown, Cell.Open),
        _ => (null, null), // accessed_vs_target_pct: its numerator is the year-to-date accessed total, its denominator a target
    };

    /// <summary>The first-contact bands: each total and the cells that add up to it.</summary>
    private static readonly (Cell Total, Cell[] Parts)[] Bands =
    [
        (Cell.Accessed, [Cell.Within7, Cell.From8To30, Cell.Over30]),
        (Cell.Accessed, [Cell.Within30, Cell.Over30]),
        (Cell.Within30, [Cell.Within7, Cell.From8To30]),
    ];

    /// <summary>
    /// Where a breakdown's groups sit in its table. The three ethnicity breakdowns share one table, since their groups are
    /// made of the same categories (white is A + B + C; white British is A; not known is 99 in each): categories at
    /// 0-17, broad groups from 100, white British and the rest from 200.
    /// </summary>
    public static int TableGroup(Breakdown breakdown, int group) => breakdown switch
    {
        Breakdown.EthnicGroup => 100 + group,
        Breakdown.WhiteBritish => 200 + group,
        _ => group,
    };

    /// <summary>The breakdowns whose groups share a table with <paramref name="breakdown"/>'s.</summary>
    public static Breakdown[] Family(Breakdown breakdown) => breakdown switch
    {
        Breakdown.EthnicGroup or Breakdown.EthnicCategory or Breakdown.WhiteBritish => [Breakdown.EthnicCategory, Breakdown.EthnicGroup, Breakdown.WhiteBritish],
        Breakdown.None => [],
        _ => [breakdown],
    };

    /// <summary>
    /// The exact cells of one organisation's table, read from the engine's figures for each breakdown of the family and
    /// for no breakdown: per cell, period and table group (<see cref="All"/> for the total, <see cref="Known"/> for known
    /// ethnicity).
    /// </summary>
    public static Dictionary<CellKey, long> Cells(IEnumerable<(Breakdown Breakdown, IEnumerable<RawValue> Values)> figures)
    {
        var cells = new Dictionary<CellKey, long>();
        foreach (var (breakdown, values) in figures)
            foreach (var value in values)
            {
                var group = breakdown == Breakdown.None ? All : TableGroup(breakdown, value.Group);
                var (numerator, denominator) = CellsOf(value.IndicatorId);
                if (numerator is { } n) cells[new(n, value.Window, group)] = value.Numerator ?? (long)(value.Value ?? 0);
                if (denominator is { } d) cells[new(d, value.Window, group)] = value.Denominator ?? 0;
            }
        foreach (var (key, count) in cells.Where(c => c.Key.Group is >= 0 and < Breakdowns.NotStated).ToList())
            cells[key with { Group = Known }] = cells.GetValueOrDefault(key with { Group = Known }) + count;
        return cells;
    }

    /// <summary>
    /// The cells to suppress in one organisation's table (<paramref name="breakdown"/>'s family). <paramref name="totals"/>
    /// are the totals as the unbroken-down table publishes them (null where suppressed); they are fixed, so a total
    /// reads the same in every breakdown.
    /// </summary>
    public static HashSet<CellKey> Suppress(
        IReadOnlyDictionary<CellKey, long> cells, Breakdown breakdown, IReadOnlyDictionary<CellKey, long?>? totals = null)
    {
        var hidden = new HashSet<CellKey>();
        foreach (var (key, count) in cells)
            if (totals?.TryGetValue(key, out var total) == true ? total is null : count < Threshold) hidden.Add(key);

        var relations = Relations(cells, breakdown);
        bool Locked(CellKey key) => totals is not null && key.Group == All;
        bool StructuralZero(CellKey key) => key.Cell == Cell.OpenKnown && UnknownEthnicity(breakdown, key.Group);
        long Published(CellKey key) => totals is not null && totals.TryGetValue(key, out var t) && t is { } shown ? shown : SafeCount(cells[key])!.Value;
        bool Hide(IEnumerable<CellKey> candidates) =>
            candidates.Where(p => !hidden.Contains(p) && !StructuralZero(p) && !Locked(p)).OrderBy(p => cells[p]).ThenBy(p => p.Group)
                .Cast<CellKey?>().FirstOrDefault() is { } next && hidden.Add(next);

        do
        {
            // A total with one hidden cell gives it back by subtraction: hide a second, the smallest shown part (the total
            // itself only where every part is hidden already).
            for (var changed = true; changed;)
            {
                changed = false;
                foreach (var (total, parts) in relations)
                    if (parts.Count(p => hidden.Contains(p) && !StructuralZero(p)) + (hidden.Contains(total) ? 1 : 0) == 1)
                        changed |= Hide(parts) || Hide([total]);
            }
        }
        // Relations taken together can still narrow a hidden cell to one value (the bands of each group against each
        // band's groups): where they do, hide another cell beside it, and look again.
        while (Pinned(cells, hidden, relations, Published, StructuralZero).Aggregate(false,
            (progress, cell) => Hide(relations.Where(r => r.Total == cell || r.Parts.Contains(cell)).SelectMany(r => r.Parts.Prepend(r.Total))) || progress));
        return hidden;
    }

    /// <summary>
    /// The hidden cells that an attacker with every shown count of the table (each within its rounding range) and every
    /// relation between them can narrow to one value, taking a hidden cell as anything from 0.
    /// </summary>
    private static List<CellKey> Pinned(IReadOnlyDictionary<CellKey, long> cells, HashSet<CellKey> hidden,
        List<(CellKey Total, CellKey[] Parts)> relations, Func<CellKey, long> published, Func<CellKey, bool> structuralZero)
    {
        const long unbounded = long.MaxValue / 4;
        var keys = cells.Keys.ToList();
        var index = keys.Select((key, i) => (key, i)).ToDictionary(k => k.key, k => k.i);
        var low = new long[keys.Count];
        var high = new long[keys.Count];
        for (var i = 0; i < keys.Count; i++)
            (low[i], high[i]) = structuralZero(keys[i]) ? (0, 0) : hidden.Contains(keys[i]) ? (0, unbounded) : Range(published(keys[i]));
        var sums = relations.Select(r => (Total: index[r.Total], Parts: r.Parts.Select(p => index[p]).ToArray())).ToList();
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var (total, parts) in sums)
            {
                long lowSum = 0, highSum = 0;
                var open = 0; // parts with no upper bound
                foreach (var p in parts)
                {
                    lowSum += low[p];
                    if (high[p] >= unbounded) open++;
                    else highSum += high[p];
                }
                changed |= Narrow(total, lowSum, open > 0 ? unbounded : highSum);
                foreach (var p in parts)
                {
                    var othersOpen = open - (high[p] >= unbounded ? 1 : 0) > 0;
                    changed |= Narrow(p, othersOpen ? 0 : low[total] - (highSum - (high[p] >= unbounded ? 0 : high[p])),
                        high[total] >= unbounded ? unbounded : high[total] - (lowSum - low[p]));
                }
            }
        }
        return keys.Where((key, i) => hidden.Contains(key) && !structuralZero(key) && low[i] == high[i]).ToList();

        bool Narrow(int i, long atLeast, long atMost)
        {
            (atLeast, atMost) = (Math.Max(low[i], atLeast), Math.Min(high[i], atMost));
            if ((atLeast, atMost) == (low[i], high[i]) || atLeast > atMost) return false;
            (low[i], high[i]) = (atLeast, atMost);
            return true;
        }
    }

    /// <summary>The totals of a breakdown family's table and the table groups that add up to each.</summary>
    private static List<(int Total, int[] Parts)> GroupRelations(Breakdown breakdown)
    {
        if (breakdown == Breakdown.None) return [];
        if (Family(breakdown).Length == 1) return [(All, Enumerable.Range(0, Breakdowns.Groups(breakdown).Length).ToArray())];
        int[] categories = [.. Enumerable.Range(0, Breakdowns.NotStated)], groups = [100, 101, 102, 103, 104];
        var relations = new List<(int, int[])>
        {
            (All, [.. categories, Breakdowns.NotStated, Breakdowns.NotKnown]), (All, [Known, Breakdowns.NotStated, Breakdowns.NotKnown]),
            (Known, categories), (All, [.. groups, 105, 106]), (Known, groups), (All, [200, 201, 202, 203]), (Known, [200, 201]),
            (200, [0]), (202, [Breakdowns.NotStated]), (203, [Breakdowns.NotKnown]),
        };
        for (var g = 0; g < Breakdowns.EthnicGroups.Length; g++)
            relations.Add((100 + g, Enumerable.Range(0, Breakdowns.EthnicCategories.Length)
                .Where(c => Breakdowns.BroadGroupOf(Breakdowns.EthnicCategories[c]) == Breakdowns.EthnicGroups[g]).ToArray()));
        return relations;
    }

    /// <summary>Groups of a table that hold no known ethnicity: not stated and not known, in each ethnicity breakdown.</summary>
    private static bool UnknownEthnicity(Breakdown breakdown, int group) =>
        Family(breakdown).Length > 1 && group is Breakdowns.NotStated or Breakdowns.NotKnown or 105 or 106 or 202 or 203;

    /// <summary>Every total in the table and the cells that add up to it.</summary>
    private static List<(CellKey Total, CellKey[] Parts)> Relations(IReadOnlyDictionary<CellKey, long> cells, Breakdown breakdown)
    {
        var relations = new List<(CellKey, CellKey[])>();
        var groupRelations = GroupRelations(breakdown);
        foreach (var all in cells.Keys.Where(k => k.Group == All))
            foreach (var (total, parts) in groupRelations)
                if (cells.ContainsKey(all with { Group = total }) && parts.All(p => cells.ContainsKey(all with { Group = p })))
                    relations.Add((all with { Group = total }, parts.Select(p => all with { Group = p }).ToArray()));
        foreach (var key in cells.Keys)
            foreach (var (total, parts) in Bands)
                if (key.Cell == total && parts.All(p => cells.ContainsKey(key with { Cell = p })))
                    relations.Add((key, parts.Select(p => key with { Cell = p }).ToArray()));
        return relations;
    }

    /// <summary>
    /// One row's figures as published: its cells as the table publishes them (exact, rounded or suppressed), and
    /// every derived number computed from those published counts.
    /// </summary>
    public static (long? Numerator, long? Denominator, double? Value, double? Lower, double? Upper, Comparison? Comparison, bool Suppressed) Publish(
        Unit unit, long? numerator, long? denominator, double? median, double? benchmark, bool exact, bool interval = true)
    {
        switch (unit)
        {
            case Unit.Count:
                return (null, null, numerator, null, null, null, numerator is null);
            case Unit.Days:
                return denominator is null ? (null, null, null, null, null, null, true) : (null, denominator, median, null, null, null, false);
            default:
                if (numerator is not { } n || denominator is not { } d || d == 0)
                    return (numerator, denominator, null, null, null, null, numerator is null || denominator is null);
                var digits = exact ? 2 : 0;
                var wilson = interval ? Statistics.Wilson(n, d) : null;
                Comparison? comparison = wilson is { } i && benchmark is { } b ? Statistics.Compare(i, b / 100) : null;
                return (n, d, Round(100.0 * n / d, digits), Round(wilson?.Lower * 100, digits), Round(wilson?.Upper * 100, digits), comparison, false);
        }
    }

    private static double? Round(double? value, int digits) => value is { } v ? Math.Round(v, digits, MidpointRounding.AwayFromZero) : null;
}
