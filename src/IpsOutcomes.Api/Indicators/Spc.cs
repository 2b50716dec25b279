namespace IpsOutcomes.Indicators;

/// <summary>A point's reading on an SPC chart: common cause, or special cause read with the indicator's polarity.</summary>
public enum PointState { CommonCause, Improvement, Concern, NeutralHigh, NeutralLow }

/// <summary>Whether the process limits say a target will be met: always, never, or sometimes.</summary>
public enum Assurance { ConsistentlyPasses, ConsistentlyFails, HitAndMiss }

/// <summary>The four special-cause rules a point can break.</summary>
[Flags]
public enum SpcRule { None = 0, OutsideLimits = 1, Shift = 2, Trend = 4, TwoOfThreeNearLimits = 8 }

/// <summary>One month on the chart. A gap (a suppressed or missing value) has no value and no state.</summary>
public sealed record SpcPoint(int Index, double? Value, double? Mean, double? LowerLimit, double? UpperLimit, double? LowerNear, double? UpperNear,
    PointState? State, SpcRule Rules);

public sealed record SpcChart(IReadOnlyList<SpcPoint> Points, PointState? Variation, Assurance? Assurance);

/// <summary>
/// An XmR chart as NHS England's Making Data Count ("plot the dots") draws it, as a pure function (comparisons.md):
/// mean, moving ranges, process limits at mean ± 2.66·MR̄, and four special-cause rules. A gap is not plotted and
/// breaks runs, trends and moving ranges.
/// </summary>
public static class Spc
{
    /// <summary>The rules a point broke, named as the answers name them (<c>outside_limits</c>, <c>shift</c>).</summary>
    public static IReadOnlyList<string> Names(SpcRule rules) =>
        Enum.GetValues<SpcRule>().Where(rule => rule != SpcRule.None && rules.HasFlag(rule)).Select(rule => Infrastructure.CsvOutput.SnakeCase(rule)).ToList();

    /// <summary>Fewer points than this in a segment and no limits are shown.</summary>
    public const int MinimumPoints = 12;
    public const int RunLength = 7;
    private const double LimitFactor = 2.66;

    /// <param name="values">The series, oldest first; null where a value is suppressed or missing.</param>
    /// <param name="rebaseAt">Indices where a new segment starts, with its own mean and limits.</param>
    /// <param name="fixAfter">Work each segment's mean and limits out from its first n points only, and keep them.</param>
    public static SpcChart Xmr(IReadOnlyList<double?> values, Polarity polarity, double? target = null,
        IReadOnlyCollection<int>? rebaseAt = null, int? fixAfter = null)
    {
        var starts = new SortedSet<int>((rebaseAt ?? []).Where(i => i > 0 && i < values.Count)) { 0 };
        var bounds = starts.Append(values.Count).ToList();
        var points = new List<SpcPoint>(values.Count);
        for (var s = 0; s + 1 < bounds.Count; s++) points.AddRange(Segment(values, bounds[s], bounds[s + 1], polarity, fixAfter));

        var latest = points.LastOrDefault(p => p.Value is not null);
        return new SpcChart(points, latest?.State, AssuranceOf(latest, polarity, target));
    }

    private static IEnumerable<SpcPoint> Segment(IReadOnlyList<double?> values, int start, int end, Polarity polarity, int? fixAfter)
    {
        var present = Enumerable.Range(start, end - start).Where(i => values[i] is not null).ToList();
        if (present.Count < MinimumPoints)
            return Enumerable.Range(start, end - start).Select(i =>
                new SpcPoint(i, values[i], null, null, null, null, null, values[i] is null ? null : PointState.CommonCause, SpcRule.None));

        var baseline = fixAfter is { } n ? present.Take(Math.Max(2, n)).ToList() : present;
        var mean = baseline.Average(i => values[i]!.Value);
        // Moving ranges only between neighbouring months: a gap breaks them as it breaks runs.
        var ranges = baseline.Where(i => i > start && values[i - 1] is not null && baseline.Contains(i - 1))
            .Select(i => Math.Abs(values[i]!.Value - values[i - 1]!.Value)).ToList();
        var spread = LimitFactor * (ranges.Count == 0 ? 0 : ranges.Average());
        double upper = mean + spread, lower = mean - spread, upperNear = mean + spread * 2 / 3, lowerNear = mean - spread * 2 / 3;

        var rules = new SpcRule[end - start];
        var high = new bool?[end - start]; // the direction each rule saw, the first rule to see one winning
        void Flag(int i, SpcRule rule, bool isHigh)
        {
            rules[i - start] |= rule;
            high[i - start] ??= isHigh;
        }

        // 1: outside the process limits.
        foreach (var i in present)
            if (values[i] > upper || values[i] < lower) Flag(i, SpcRule.OutsideLimits, values[i] > upper);

        // 2: a run of 7 or more on one side of the mean (a point on the mean, or a gap, ends a run).
        int Side(int i) => values[i] is not { } v ? 0 : v > mean ? 1 : v < mean ? -1 : 0;
        foreach (var run in Runs(start, end, (a, b) => Side(a) != 0 && Side(a) == Side(b), i => Side(i) != 0))
            if (run.Count >= RunLength) foreach (var i in run) Flag(i, SpcRule.Shift, Side(i) > 0);

        // 4: two of three consecutive points near a limit (beyond two thirds of the way, inside it), all three on one side.
        bool Near(int i) => values[i] is { } v && ((v > upperNear && v <= upper) || (v < lowerNear && v >= lower));
        for (var i = start; i + 2 < end; i++)
        {
            var side = Side(i);
            if (side == 0 || Side(i + 1) != side || Side(i + 2) != side) continue;
            var near = new[] { i, i + 1, i + 2 }.Where(Near).ToList();
            if (near.Count >= 2) foreach (var j in near) Flag(j, SpcRule.TwoOfThreeNearLimits, side > 0);
        }

        // 3: a run of 7 or more points each higher (or each lower) than the one before.
        foreach (var direction in new[] { 1, -1 })
            foreach (var run in Runs(start, end, (a, b) => values[a] is { } x && values[b] is { } y && Math.Sign(y - x) == direction, i => values[i] is not null))
                if (run.Count >= RunLength) foreach (var i in run) Flag(i, SpcRule.Trend, direction > 0);

        return Enumerable.Range(start, end - start).Select(i =>
        {
            var rule = rules[i - start];
            PointState? state = values[i] is null ? null
                : rule == SpcRule.None ? PointState.CommonCause
                : StateOf(high[i - start]!.Value, polarity);
            return new SpcPoint(i, values[i], mean, lower, upper, lowerNear, upperNear, state, rule);
        }).ToList();
    }

    /// <summary>Maximal runs of neighbouring indices that <paramref name="counts"/> admits and <paramref name="continues"/> links each to the next.</summary>
    private static IEnumerable<List<int>> Runs(int start, int end, Func<int, int, bool> continues, Func<int, bool> counts)
    {
        var run = new List<int>();
        for (var i = start; i < end; i++)
        {
            if (run.Count > 0 && (run[^1] != i - 1 || !continues(run[^1], i)))
            {
                yield return run;
                run = [];
            }
            if (counts(i)) run.Add(i);
        }
        if (run.Count > 0) yield return run;
    }

    private static PointState StateOf(bool high, Polarity polarity) => polarity switch
    {
        Polarity.HigherIsBetter => high ? PointState.Improvement : PointState.Concern,
        Polarity.LowerIsBetter => high ? PointState.Concern : PointState.Improvement,
        _ => high ? PointState.NeutralHigh : PointState.NeutralLow,
    };

    /// <summary>The latest limits against a target: both on the good side passes, both on the bad side fails, the target between them hit and miss.</summary>
    private static Assurance? AssuranceOf(SpcPoint? latest, Polarity polarity, double? target)
    {
        if (latest?.LowerLimit is not { } lower || latest.UpperLimit is not { } upper || target is not { } goal || polarity == Polarity.NoJudgement) return null;
        var (passes, fails) = polarity == Polarity.HigherIsBetter ? (lower > goal, upper < goal) : (upper < goal, lower > goal);
        return passes ? Assurance.ConsistentlyPasses : fails ? Assurance.ConsistentlyFails : Assurance.HitAndMiss;
    }
}
