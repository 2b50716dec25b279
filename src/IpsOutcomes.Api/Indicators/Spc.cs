namespace IpsOutcomes.Indicators;

/// <summary>A point's reading on an SPC chart: common cause, or special cause read with the indicator's polarity.</summary>
public enum PointState { CommonCause, Improvement, Concern, NeutralHigh, NeutralLow }

/// <summary>Whether the process limits say a target will be met: always, never, or sometimes.</summary>
public enum Assurance { ConsistentlyPasses, ConsistentlyFails, HitAndMiss }

/// <summary>The four special-cause rules a point can break.</summary>
[Flags]
public enum SpcRule { None = 0, OutsideLimits = 1, Shift = 2, Trend = 4, TwoOfThreeNearLimits = 8 }

/// <summary>One month on the chart. A gap (a suppressed or missing value) has no value and no state.</summary>
public sealed record SpcPoint(int Index, double? Value, double? Mean, double? LowerLimit, double? UpperLimit, double? LowerNear,
    double? UpperNear, PointState? State, SpcRule Rules);

public sealed record SpcChart(IReadOnlyList<SpcPoint> Points, PointState? Variation, Assurance? Assurance);

/// <summary>
/// An XmR chart as NHS England's Making Data Count ("plot the dots") draws it, computed as the NHS-R community's
/// NHSRplotthedots package computes it (<c>ptd_spc()</c> with its default options; its source at commit f7891af, in
/// <c>R/ptd_spc_standard.R</c> and <c>R/ptd_calculate_point_type.R</c>), as a pure function (comparisons.md): mean,
/// moving ranges, moving ranges of 3.267·MR̄ or more screened out, process limits at mean ± 2.66·MR̄, four special-cause
/// rules, and a special-cause point read the way the package reads it. Where the package has no counterpart: a gap
/// (a suppressed or missing month) is not plotted and breaks runs, trends, two-in-three and moving ranges; fewer than
/// 12 points in a segment show no limits; a segment whose moving ranges are all 0 keeps limits on its mean.
/// </summary>
public static class Spc
{
    /// <summary>The rules a point broke, named as the answers name them (<c>outside_limits</c>, <c>shift</c>).</summary>
    public static IReadOnlyList<string> Names(SpcRule rules) =>
        Enum.GetValues<SpcRule>().Where(rule => rule != SpcRule.None && rules.HasFlag(rule))
            .Select(rule => Infrastructure.CsvOutput.SnakeCase(rule)).ToList();

    /// <summary>Fewer points than this in a segment and no limits are shown.</summary>
    public const int MinimumPoints = 12;
    public const int RunLength = 7;
    private const double LimitFactor = 2.66;

    /// <summary>A moving range this many times MR̄ or more is an outlier, left out of MR̄ when screening (the package's 3.267).</summary>
    public const double OutlierFactor = 3.267;

    /// <param name="values">The series, oldest first; null where a value is suppressed or missing.</param>
    /// <param name="rebaseAt">Indices where a new segment starts, with its own mean and limits (and its own screening).</param>
    /// <param name="fixAfter">Work each segment's mean and limits out from its first n points only, and keep them.</param>
    /// <param name="screenOutliers">Leave moving ranges of 3.267·MR̄ or more out of MR̄ (the package's default,
    /// <c>screen_outliers</c>).</param>
    public static SpcChart Xmr(IReadOnlyList<double?> values, Polarity polarity, double? target = null,
        IReadOnlyCollection<int>? rebaseAt = null, int? fixAfter = null, bool screenOutliers = true)
    {
        var starts = new SortedSet<int>((rebaseAt ?? []).Where(i => i > 0 && i < values.Count)) { 0 };
        var bounds = starts.Append(values.Count).ToList();
        var points = new List<SpcPoint>(values.Count);
        for (var s = 0; s + 1 < bounds.Count; s++) points.AddRange(Segment(values, bounds[s], bounds[s + 1], polarity, fixAfter,
            screenOutliers));

        var latest = points.LastOrDefault(p => p.Value is not null);
        return new SpcChart(points, latest?.State, AssuranceOf(latest, polarity, target));
    }

    /// <summary>The mean of the moving ranges, screened as the package screens them: those of 3.267·MR̄ or more left out, MR̄ worked out
    /// again.</summary>
    public static double MeanMovingRange(IReadOnlyList<double> ranges, bool screenOutliers)
    {
        if (ranges.Count == 0) return 0;
        var mean = ranges.Average();
        // All ranges 0 would leave none (the package's limits become NaN): the limits stay on the mean.
        if (!screenOutliers || mean == 0) return mean;
        return ranges.Where(r => r < OutlierFactor * mean).Average(); // the smallest range is never above the mean

    }

    private static IEnumerable<SpcPoint> Segment(IReadOnlyList<double?> values, int start, int end, Polarity polarity, int? fixAfter,
        bool screenOutliers)
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
        var spread = LimitFactor * MeanMovingRange(ranges, screenOutliers);
        double upper = mean + spread, lower = mean - spread, upperNear = mean + spread * 2 / 3, lowerNear = mean - spread * 2 / 3;

        var segment = Enumerable.Range(start, end - start).ToList();
        int? Side(int i) => values[i] is { } v ? Math.Sign(v - mean) : null;
        bool Outside(int i) => values[i] is { } v && (v > upper || v < lower);
        bool Close(int i) => values[i] is { } v && !Outside(i) && (v < lowerNear || v > upperNear);
        var sides = segment.Select(Side).ToList();
        var shift = OneSideRun(sides);
        var trend = Trend(segment.Select(i => values[i]).ToList());
        var twoInThree = TwoInThree(segment.Select(Close).ToList(), sides);

        return segment.Select(i =>
        {
            var k = i - start;
            var rule = (Outside(i) ? SpcRule.OutsideLimits : 0) | (shift[k] ? SpcRule.Shift : 0) | (trend[k] != 0 ? SpcRule.Trend : 0)
                | (twoInThree[k] ? SpcRule.TwoOfThreeNearLimits : 0);
            // Which way a special-cause point reads, in the package's order: outside the limits (its side of the mean),
            // then the trend (its direction), then two-in-three and the run (their side of the mean).
            var high = rule.HasFlag(SpcRule.OutsideLimits) || !rule.HasFlag(SpcRule.Trend) ? sides[k] > 0 : trend[k] > 0;
            PointState? state = values[i] is null ? null : rule == SpcRule.None ? PointState.CommonCause : StateOf(high, polarity);
            return new SpcPoint(i, values[i], mean, lower, upper, lowerNear, upperNear, state, rule);
        }).ToList();
    }

    /// <summary>
    /// Rule: the points of a run of 7 or more on one side of the mean (<paramref name="sides"/>: +1 above, -1 below, 0 on
    /// the mean, null a gap; a point on the mean, or a gap, ends a run).
    /// </summary>
    public static bool[] OneSideRun(IReadOnlyList<int?> sides)
    {
        var part = new bool[sides.Count];
        foreach (var run in Runs(0, sides.Count, (a, b) => sides[a] is not (0 or null) && sides[a] == sides[b],
            i => sides[i] is not (0 or null)))
            if (run.Count >= RunLength) foreach (var i in run) part[i] = true;
        return part;
    }

    /// <summary>
    /// Rule: the points of a run of 7 or more each higher (or each lower) than the one before (a tie, or a gap, ends it),
    /// each with the direction it reads as, as the package reads it: a point takes the step after it where the next
    /// point is in a trend too, and the step before it otherwise, and only a rise reads as increasing (+1; -1 otherwise;
    /// 0 for a point in no trend).
    /// </summary>
    public static int[] Trend(IReadOnlyList<double?> values)
    {
        var part = new bool[values.Count];
        foreach (var direction in new[] { 1, -1 })
            foreach (var run in Runs(0, values.Count, (a, b) => values[a] is { } x && values[b] is { } y && Math.Sign(y - x) == direction,
                         i => values[i] is not null))
                if (run.Count >= RunLength) foreach (var i in run) part[i] = true;
        double Step(int from) => from >= 0 && from + 1 < values.Count && values[from] is { } x && values[from + 1] is { } y ? y - x : 0;
        return Enumerable.Range(0, values.Count).Select(i => !part[i] ? 0
            : (i + 1 < values.Count && part[i + 1] ? Step(i) : Step(i - 1)) > 0 ? 1 : -1).ToArray();
    }

    /// <summary>
    /// Rule: the points close to a limit (<paramref name="close"/>: beyond two thirds of the way to it, not outside it) that
    /// are two of three consecutive points all on one side of the mean (none on it, none a gap).
    /// </summary>
    public static bool[] TwoInThree(IReadOnlyList<bool> close, IReadOnlyList<int?> sides)
    {
        bool Window(int w) => w >= 0 && w + 2 < sides.Count && Math.Abs((sides[w] ?? 0) + (sides[w + 1] ?? 0) + (sides[w + 2] ?? 0)) == 3
            && (close[w] ? 1 : 0) + (close[w + 1] ? 1 : 0) + (close[w + 2] ? 1 : 0) >= 2;
        return Enumerable.Range(0, close.Count).Select(i => close[i] && (Window(i - 2) || Window(i - 1) || Window(i))).ToArray();
    }

    /// <summary>Maximal runs of neighbouring indices that <paramref name="counts"/> admits and <paramref name="continues"/> links each to
    /// the next.</summary>
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

    /// <summary>The latest limits against a target: both on the good side passes, both on the bad side fails, the target between them hit
    /// and miss.</summary>
    private static Assurance? AssuranceOf(SpcPoint? latest, Polarity polarity, double? target)
    {
        if (latest?.LowerLimit is not { } lower || latest.UpperLimit is not { } upper || target is not { } goal
            || polarity == Polarity.NoJudgement) return null;
        var (passes, fails) = polarity == Polarity.HigherIsBetter ? (lower > goal, upper < goal) : (upper < goal, lower > goal);
        return passes ? Assurance.ConsistentlyPasses : fails ? Assurance.ConsistentlyFails : Assurance.HitAndMiss;
    }
}
