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
    /// The exact cells of one organisation's table: per cell, period and group (<see cref="All"/> for the total,
    /// <see cref="Known"/> for known ethnicity), read from the engine's figures.
    /// </summary>
    public static Dictionary<CellKey, long> Cells(IEnumerable<RawValue> values, Breakdown breakdown)
    {
        var cells = new Dictionary<CellKey, long>();
        foreach (var value in values)
        {
            var group = breakdown == Breakdown.None ? All : value.Group;
            var (numerator, denominator) = CellsOf(value.IndicatorId);
            if (numerator is { } n) cells[new(n, value.Window, group)] = value.Numerator ?? (long)(value.Value ?? 0);
            if (denominator is { } d) cells[new(d, value.Window, group)] = value.Denominator ?? 0;
        }
        if (breakdown is Breakdown.EthnicGroup or Breakdown.EthnicCategory or Breakdown.WhiteBritish)
            foreach (var (key, count) in cells.ToList())
                if (key.Group >= 0 && !Breakdowns.IsUnknownEthnicity(breakdown, key.Group))
                    cells[key with { Group = Known }] = cells.GetValueOrDefault(key with { Group = Known }) + count;
        return cells;
    }

    /// <summary>
    /// The cells to suppress in one organisation's table. <paramref name="totals"/> are the table's totals as the
    /// unbroken-down table publishes them (null or suppressed); they are fixed, so a total reads the same in every breakdown.
    /// </summary>
    public static HashSet<CellKey> Suppress(
        IReadOnlyDictionary<CellKey, long> cells, Breakdown breakdown, IReadOnlyDictionary<CellKey, long?>? totals = null)
    {
        var hidden = new HashSet<CellKey>();
        foreach (var (key, count) in cells)
            if (totals?.TryGetValue(key, out var total) == true ? total is null : count < Threshold) hidden.Add(key);

        var relations = Relations(cells, breakdown);
        bool Locked(CellKey key) => totals is not null && key.Group == All;
        bool StructuralZero(CellKey key) =>
            key.Cell == Cell.OpenKnown && key.Group >= 0 && Breakdowns.IsUnknownEthnicity(breakdown, key.Group);
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var (total, parts) in relations)
            {
                var hiddenParts = parts.Count(p => hidden.Contains(p) && !StructuralZero(p));
                var hiddenCount = hiddenParts + (hidden.Contains(total) ? 1 : 0);
                if (hiddenCount == 0) continue;
                // With one hidden cell, total minus the rest gives it back; with more, the rounding ranges of the shown
                // cells may still leave the hidden ones no room above zero.
                var exposed = hiddenCount == 1 || (!hidden.Contains(total)
                    && Range(SafeCount(cells[total])!.Value).High - parts.Where(p => !hidden.Contains(p)).Sum(p => StructuralZero(p) ? 0 : Range(SafeCount(cells[p])!.Value).Low) <= 0);
                if (!exposed) continue;
                var next = parts.Where(p => !hidden.Contains(p) && !StructuralZero(p) && !Locked(p))
                    .OrderBy(p => cells[p]).ThenBy(p => p.Group).Cast<CellKey?>().FirstOrDefault()
                    ?? (Locked(total) || hidden.Contains(total) ? null : total);
                if (next is { } cell && hidden.Add(cell)) changed = true;
            }
        }
        return hidden;
    }

    /// <summary>Every total in the table and the cells that add up to it.</summary>
    private static List<(CellKey Total, CellKey[] Parts)> Relations(IReadOnlyDictionary<CellKey, long> cells, Breakdown breakdown)
    {
        var relations = new List<(CellKey, CellKey[])>();
        var groups = breakdown == Breakdown.None ? [] : Enumerable.Range(0, Breakdowns.Groups(breakdown).Length).ToArray();
        var unknown = groups.Where(g => Breakdowns.IsUnknownEthnicity(breakdown, g)).ToArray();
        var ethnic = unknown.Length > 0;
        foreach (var total in cells.Keys.Where(k => k.Group == All && groups.Length > 0))
        {
            CellKey In(int group) => total with { Group = group };
            relations.Add((total, groups.Select(In).ToArray()));
            if (!ethnic) continue;
            relations.Add((total, [In(Known), .. unknown.Select(In)]));
            relations.Add((In(Known), groups.Except(unknown).Select(In).ToArray()));
        }
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
