namespace IpsOutcomes.Indicators;

/// <summary>A figure as published: one row per organisation × period × indicator × breakdown group.</summary>
public sealed record IndicatorValue(
    string OrganisationCode, string OrganisationName, string OrganisationLevel,
    string PeriodType, string Period, DateOnly PeriodStart, DateOnly PeriodEnd,
    string IndicatorId, Unit Unit, string Breakdown, string Group,
    long? Numerator, long? Denominator, double? Value, double? LowerCi, double? UpperCi,
    double? Benchmark, BenchmarkSide? Comparison, bool Suppressed, long DataVersion)
{
    /// <summary>The row against each comparator asked for (<c>compare=</c>); absent when none was.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ComparatorOutcome>? Comparisons { get; init; }

    /// <summary>The row's quartile (1 the lowest) among every provider, or every ICB, with a published value
    /// (<c>quartile=true</c>).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? Quartile { get; init; }

    /// <summary>The recent trend to this period (<c>trend=true</c>); absent when not asked for, or for a count.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public TrendTest? Trend { get; init; }
}

/// <summary>
/// NHS England's small-number rules, made to survive inference, as pure functions. Under the rules (every level,
/// England included, unless exact figures were asked for with the permission):
/// <list type="bullet">
/// <item>a count under 5 is suppressed (primary suppression); any other is rounded to the nearest 5;</item>
/// <item>where cells add up to a total (the groups of a breakdown, broad groups and their categories, known ethnicity
/// against not stated and not known, the first-contact bands), a total with exactly one hidden cell gets a second one
/// hidden, the smallest shown one (secondary suppression), so subtraction recovers nothing; and where the table's
/// relations taken together still narrow a hidden cell to one value, another is hidden beside it;</item>
/// <item>every derived number (percentage, interval, benchmark comparison, median) is computed from the published
/// counts, never the exact ones, and is suppressed when any count it rests on is.</item>
/// </list>
/// </summary>
public static class DisclosureControl
{
    public const int Threshold = 5;

    /// <summary>The group index of a breakdown's total, and of its known-ethnicity subtotal.</summary>
    public const int All = -1, Known = -2;

    public static long? SafeCount(long count) => count < Threshold ? null
        : (long)Math.Round(count / 5.0, MidpointRounding.AwayFromZero) * 5;

    /// <summary>
    /// A count of rows of a return as a key may see it: rows are people, so exact only where the key may see exact
    /// figures, and under the publication rules otherwise.
    /// </summary>
    public static int? RowCount(int? count, bool exact) => exact || count is null ? count : (int?)SafeCount(count.Value);

    /// <summary>The true counts a published (rounded) count can stand for: rounding moves a count by at most 2, and a shown count is at
    /// least 5.</summary>
    private static (long Low, long High) Range(long published) => (Math.Max(Threshold, published - 2), published + 2);

    /// <summary>The cells an indicator's row shows: its count, or its numerator and denominator (a median: its number of values).</summary>
    public static (Cell? Numerator, Cell? Denominator) CellsOf(string indicatorId) => IndicatorCatalogue.ById[indicatorId].Measure.Cells;

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
        Breakdown.EthnicGroup or Breakdown.EthnicCategory or Breakdown.WhiteBritish
            => [Breakdown.EthnicCategory, Breakdown.EthnicGroup, Breakdown.WhiteBritish],
        Breakdown.None => [],
        _ => [breakdown],
    };

    /// <summary>
    /// The exact cells of one organisation's table, read from the engine's figures for each breakdown of the family and
    /// for no breakdown: per cell, period and table group (<see cref="All"/> for the total, <see cref="Known"/> for known
    /// ethnicity).
    /// </summary>
    public static Dictionary<CellKey, long> Cells(IEnumerable<(Breakdown Breakdown, List<RawValue> Values)> figures)
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
    /// reads the same in every breakdown. Periods are independent of one another: each is worked out on its own.
    /// </summary>
    public static HashSet<CellKey> Suppress(
        IReadOnlyDictionary<CellKey, long> cells, Breakdown breakdown, IReadOnlyDictionary<CellKey, long?>? totals = null)
    {
        var hidden = new HashSet<CellKey>();
        if (cells.Count == 0) return hidden;
        // Every period has the same cells: the table's shape is read off the first.
        var first = cells.Keys.First().Window;
        var table = Table.For(cells.Keys.Where(k => k.Window == first).Select(k => (k.Cell, k.Group)), breakdown, totals is not null);
        foreach (var w in cells.Keys.Select(k => k.Window).Distinct())
        {
            var counts = table.Slots.Select(slot => cells.TryGetValue(new CellKey(slot.Cell, w, slot.Group), out var count) ? count : 0)
                .ToArray();
            var shownTotals = table.Slots.Select(slot => totals is not null
                && totals.TryGetValue(new CellKey(slot.Cell, w, slot.Group), out var t) ? t : null).ToArray();
            var hiddenInWindow = table.Suppress(counts, shownTotals);
            for (var i = 0; i < hiddenInWindow.Length; i++)
                if (hiddenInWindow[i]) hidden.Add(new CellKey(table.Slots[i].Cell, w, table.Slots[i].Group));
        }
        return hidden;
    }

    /// <summary>The shape of one period's table: its cells (slots), the relations between them, and which are fixed or known to be
    /// 0.</summary>
    private sealed class Table
    {
        public readonly (Cell Cell, int Group)[] Slots;
        private readonly (int Total, int[] Parts)[] relations;
        private readonly int[][] neighbours; // every cell that shares a relation with a cell
        private readonly bool[] locked, structuralZero;

        // A table's shape depends only on its cells and breakdown: worked out once, then shared by every organisation
        // and request (a league table of 42 ICBs asks for the same shape 84 times).
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Table> Shapes = new();

        public static Table For(IEnumerable<(Cell Cell, int Group)> slots, Breakdown breakdown, bool totalsFixed)
        {
            var ordered = slots.Order().ToArray();
            return Shapes.GetOrAdd($"{breakdown}|{totalsFixed}|{string.Join(',', ordered)}", _ => new Table(ordered, breakdown, totalsFixed));
        }

        private Table((Cell Cell, int Group)[] slots, Breakdown breakdown, bool totalsFixed)
        {
            Slots = slots;
            var index = Slots.Select((slot, i) => (slot, i)).ToDictionary(s => s.slot, s => s.i);
            var list = new List<(int, int[])>();
            foreach (var cell in Slots.Where(s => s.Group == All).Select(s => s.Cell))
                foreach (var (total, parts) in GroupRelations(breakdown))
                    if (index.ContainsKey((cell, total)) && parts.All(p => index.ContainsKey((cell, p))))
                        list.Add((index[(cell, total)], parts.Select(p => index[(cell, p)]).ToArray()));
            foreach (var (cell, group) in Slots)
                foreach (var (total, parts) in Bands)
                    if (cell == total && parts.All(p => index.ContainsKey((p, group))))
                        list.Add((index[(cell, group)], parts.Select(p => index[(p, group)]).ToArray()));
            relations = [.. list];
            var sharing = Slots.Select(_ => new HashSet<int>()).ToArray();
            foreach (var (total, parts) in relations)
                foreach (var member in parts.Prepend(total)) sharing[member].UnionWith(parts.Prepend(total));
            neighbours = sharing.Select(s => s.ToArray()).ToArray();
            locked = Slots.Select(s => totalsFixed && s.Group == All).ToArray();
            structuralZero = Slots.Select(s => s.Cell == Cell.OpenKnown && UnknownEthnicity(breakdown, s.Group)).ToArray();
        }

        /// <summary>Which cells of one period to hide, given their exact counts and the fixed totals as shown.</summary>
        public bool[] Suppress(long[] counts, long?[] totals)
        {
            var hidden = new bool[Slots.Length];
            for (var i = 0; i < Slots.Length; i++) hidden[i] = locked[i] ? totals[i] is null : counts[i] < Threshold;
            long Published(int i) => locked[i] ? totals[i]!.Value : SafeCount(counts[i])!.Value;
            bool Hide(IEnumerable<int> candidates)
            {
                var next = -1;
                foreach (var c in candidates)
                    if (!hidden[c] && !structuralZero[c] && !locked[c]
                        && (next < 0 || counts[c] < counts[next] || (counts[c] == counts[next] && Slots[c].Group < Slots[next].Group)))
                        next = c;
                if (next < 0) return false;
                return hidden[next] = true;
            }
            do
            {
                // A total with one hidden cell gives it back by subtraction: hide a second, the smallest shown part (the
                // total itself only where every part is hidden already).
                for (var changed = true; changed;)
                {
                    changed = false;
                    foreach (var (total, parts) in relations)
                    {
                        var count = hidden[total] ? 1 : 0;
                        foreach (var p in parts) if (hidden[p] && !structuralZero[p]) count++;
                        if (count == 1) changed |= Hide(parts) || Hide([total]);
                    }
                }
            }
            // Relations taken together can still narrow a hidden cell to one value (the bands of each group against each
            // band's groups): where they do, hide another cell beside it, and look again.
            while (Pinned(hidden, Published).Aggregate(false, (progress, cell) => Hide(neighbours[cell]) || progress));
            return hidden;
        }

        /// <summary>
        /// The hidden cells that an attacker with every shown count (each within its rounding range) and every relation
        /// between them can narrow to one value, taking a hidden cell as anything from 0.
        /// </summary>
        private List<int> Pinned(bool[] hidden, Func<int, long> published)
        {
            const long unbounded = long.MaxValue / 4;
            var low = new long[Slots.Length];
            var high = new long[Slots.Length];
            for (var i = 0; i < Slots.Length; i++)
                (low[i], high[i]) = structuralZero[i] ? (0, 0) : hidden[i] ? (0, unbounded) : Range(published(i));
            for (var changed = true; changed;)
            {
                changed = false;
                foreach (var (total, parts) in relations)
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
            var pinned = new List<int>();
            for (var i = 0; i < Slots.Length; i++)
                if (hidden[i] && !structuralZero[i] && low[i] == high[i]) pinned.Add(i);
            return pinned;

            bool Narrow(int i, long atLeast, long atMost)
            {
                (atLeast, atMost) = (Math.Max(low[i], atLeast), Math.Min(high[i], atMost));
                if ((atLeast == low[i] && atMost == high[i]) || atLeast > atMost) return false;
                (low[i], high[i]) = (atLeast, atMost);
                return true;
            }
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

    /// <summary>
    /// One row's figures as published: its cells as the table publishes them (exact, rounded or suppressed), and
    /// every derived number computed from those published counts.
    /// </summary>
    public static (long? Numerator, long? Denominator, double? Value, double? Lower, double? Upper, BenchmarkSide? Comparison,
        bool Suppressed) Publish(
        Unit unit, long? numerator, long? denominator, double? median, double? benchmark, bool exact, bool interval = true)
    {
        switch (unit)
        {
            case Unit.Count:
                return (null, null, numerator, null, null, null, numerator is null);
            case Unit.Days:
                return denominator is null ? (null, null, null, null, null, null, true)
                    : (null, denominator, median, null, null, null, false);
            default:
                if (numerator is not { } n || denominator is not { } d || d == 0)
                    return (numerator, denominator, null, null, null, null, numerator is null || denominator is null);
                var digits = exact ? 2 : 0;
                var wilson = interval ? Statistics.Wilson(n, d) : null;
                BenchmarkSide? comparison = wilson is { } i && benchmark is { } b ? Statistics.Compare(i, b / 100) : null;
                return (n, d, Round(100.0 * n / d, digits), Round(wilson?.Lower * 100, digits), Round(wilson?.Upper * 100, digits),
                    comparison, false);
        }
    }

    private static double? Round(double? value, int digits) => value is { } v ? Math.Round(v, digits, MidpointRounding.AwayFromZero) : null;
}
