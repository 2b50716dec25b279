using MathNet.Numerics;

namespace IpsOutcomes.Indicators;

public readonly record struct Interval(double Lower, double Upper);

/// <summary>A ratio with its 95% interval (either may be missing where a count is zero).</summary>
public readonly record struct Ratio(double Value, Interval? Interval);

/// <summary>A Pearson chi-square test on a 2 × k table.</summary>
public readonly record struct ChiSquareTest(double Statistic, int DegreesOfFreedom, double PValue, double SmallestExpected)
{
    public bool Significant => PValue < 0.05;

    /// <summary>Cochran's rule: with an expected count under 5 the chi-square approximation is unreliable.</summary>
    public bool Unreliable => SmallestExpected < 5;
}

public enum BenchmarkSide { Higher, Lower, Similar }

/// <summary>The arithmetic of the indicators, as pure functions (OHID Fingertips / PHEindicatormethods conventions).</summary>
public static class Statistics
{
    /// <summary>
    /// The median as indicators.md defines it (the middle value, or the mean of the two middle values; none for an empty
    /// set), for the indicators and for a return's volume check alike. Reorders <paramref name="values"/>.
    /// </summary>
    public static double? Median(Span<int> values)
    {
        if (values.IsEmpty) return null;
        values.Sort();
        var middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + (double)values[middle]) / 2;
    }

    /// <summary>
    /// The same median of several sorted runs taken together, without merging them (issue 27: an organisation's days are its
    /// providers' runs, each sorted once): the middle values are found by bisecting on the value, counting each run's values at
    /// most it.
    /// </summary>
    public static double? MedianOfRuns(IReadOnlyList<int[]> sortedRuns)
    {
        if (sortedRuns.Count == 1) return sortedRuns[0].Length == 0 ? null : Middle(sortedRuns[0]);
        long count = 0;
        int lowest = int.MaxValue, highest = int.MinValue;
        foreach (var run in sortedRuns)
            if (run.Length > 0) (count, lowest, highest) = (count + run.Length, Math.Min(lowest, run[0]), Math.Max(highest, run[^1]));
        if (count == 0) return null;
        return count % 2 == 1 ? Smallest(count / 2) : (Smallest(count / 2 - 1) + (double)Smallest(count / 2)) / 2;

        static double Middle(int[] run) =>
            run.Length % 2 == 1 ? run[run.Length / 2] : (run[run.Length / 2 - 1] + (double)run[run.Length / 2]) / 2;

        // The value with k values before it (0-based).
        int Smallest(long k)
        {
            var (low, high) = (lowest, highest);
            while (low < high)
            {
                var middle = low + (int)(((long)high - low) / 2);
                if (AtMost(middle) > k) high = middle;
                else low = middle + 1;
            }
            return low;
        }

        long AtMost(int value)
        {
            long total = 0;
            foreach (var run in sortedRuns)
            {
                var (low, high) = (0, run.Length);
                while (low < high)
                {
                    var middle = (low + high) / 2;
                    if (run[middle] <= value) low = middle + 1;
                    else high = middle;
                }
                total += low;
            }
            return total;
        }
    }

    /// <summary>The 97.5th percentile of the standard normal, as Fingertips uses it.</summary>
    public const double Z95 = 1.959964;

    /// <summary>The Wilson score interval for <paramref name="successes"/> of <paramref name="trials"/>, as proportions.</summary>
    public static Interval? Wilson(long successes, long trials, double z = Z95)
    {
        if (trials <= 0 || successes < 0 || successes > trials) return null;
        double n = trials, p = successes / n, z2 = z * z;
        var centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        var half = z * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
        // At 0 of n and n of n the bounds are exactly 0 and 1; say so rather than leave floating-point dust.
        return new Interval(successes == 0 ? 0 : Math.Max(0, centre - half), successes == trials ? 1 : Math.Min(1, centre + half));
    }

    /// <summary>Fingertips' comparison with a benchmark: higher or lower only when the interval clears it.</summary>
    public static BenchmarkSide Compare(Interval interval, double benchmark) =>
        interval.Lower > benchmark ? BenchmarkSide.Higher : interval.Upper < benchmark ? BenchmarkSide.Lower : BenchmarkSide.Similar;

    /// <summary>
    /// Pearson's chi-square on a 2 × k table, no continuity correction, df = k − 1: rows are "yes" and "no"
    /// (jobs and no jobs; or accessed and population), columns the groups. Columns with no observations are
    /// left out (they carry no information and would make an expected count of zero).
    /// </summary>
    public static ChiSquareTest? ChiSquare(IReadOnlyList<long> first, IReadOnlyList<long> second)
    {
        var columns = Enumerable.Range(0, first.Count).Where(i => first[i] + second[i] > 0).ToList();
        if (columns.Count < 2) return null;
        double firstTotal = columns.Sum(i => first[i]), secondTotal = columns.Sum(i => second[i]);
        var total = firstTotal + secondTotal;
        if (firstTotal == 0 || secondTotal == 0) return null;
        double statistic = 0, smallest = double.MaxValue;
        foreach (var i in columns)
        {
            var columnTotal = (double)(first[i] + second[i]);
            foreach (var (observed, rowTotal) in new[] { (first[i], firstTotal), (second[i], secondTotal) })
            {
                var expected = rowTotal * columnTotal / total;
                smallest = Math.Min(smallest, expected);
                statistic += (observed - expected) * (observed - expected) / expected;
            }
        }
        var df = columns.Count - 1;
        return new ChiSquareTest(statistic, df, ChiSquareUpperTail(statistic, df), smallest);
    }

    /// <summary>P(X ≥ x) for X ~ χ²(df): the regularised upper incomplete gamma Q(df/2, x/2), without 1 − CDF's cancellation.</summary>
    public static double ChiSquareUpperTail(double x, int degreesOfFreedom) =>
        x <= 0 ? 1 : SpecialFunctions.GammaUpperRegularized(degreesOfFreedom / 2.0, x / 2.0);

    /// <summary>
    /// Representation ratio: a group's share of those accessing (a of A) over its share of the population (b of B),
    /// with the log-method interval ratio × exp(±z √(1/a − 1/A + 1/b − 1/B)): the same arithmetic as a rate ratio.
    /// </summary>
    public static Ratio? RepresentationRatio(long a, long totalA, long b, long totalB, double z = Z95)
        => RateRatio(a, totalA, b, totalB, z);

    /// <summary>Rate ratio of x1/n1 against a reference x2/n2, with Katz's log interval.</summary>
    public static Ratio? RateRatio(long x1, long n1, long x2, long n2, double z = Z95)
    {
        if (n1 <= 0 || n2 <= 0 || x2 <= 0) return null;
        var ratio = (x1 / (double)n1) / (x2 / (double)n2);
        if (x1 == 0) return new Ratio(ratio, null);
        var se = Math.Sqrt(1.0 / x1 - 1.0 / n1 + 1.0 / x2 - 1.0 / n2);
        return new Ratio(ratio, new Interval(ratio * Math.Exp(-z * se), ratio * Math.Exp(z * se)));
    }
}
