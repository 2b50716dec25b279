namespace IpsOutcomes.Indicators;

public readonly record struct Interval(double Lower, double Upper);

public enum Comparison { Higher, Lower, Similar }

/// <summary>The arithmetic of the indicators, as pure functions (OHID Fingertips / PHEindicatormethods conventions).</summary>
public static class Statistics
{
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
    public static Comparison Compare(Interval interval, double benchmark) =>
        interval.Lower > benchmark ? Comparison.Higher : interval.Upper < benchmark ? Comparison.Lower : Comparison.Similar;

    /// <summary>The middle value, or the mean of the two middle values; none for an empty set. Reorders <paramref name="values"/>.</summary>
    public static double? Median(Span<int> values)
    {
        if (values.IsEmpty) return null;
        values.Sort();
        var middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + (double)values[middle]) / 2;
    }
}
