namespace IpsOutcomes.Indicators;

/// <summary>How a figure stands against a comparator (comparisons.md): judged where the indicator has a polarity.</summary>
public enum Outcome { Better, Similar, Worse, Higher, Lower, NotCompared }

/// <summary>Where a proportion sits in a funnel plot around its comparator.</summary>
public enum FunnelPosition
{
    Within,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("above_95")] Above95,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("above_99_8")] Above998,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("below_95")] Below95,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("below_99_8")] Below998,
}

/// <summary>The recent trend over five non-overlapping periods, in comparisons.md's words.</summary>
public enum TrendDirection { Increasing, Decreasing, NoSignificantChange, CannotBeCalculated }

/// <summary>A significant trend read with the indicator's polarity.</summary>
public enum TrendJudgement { GettingBetter, GettingWorse }

public readonly record struct Quartiles(double Q1, double Median, double Q3);

public readonly record struct FunnelLimits(double Lower95, double Upper95, double Lower998, double Upper998);

public readonly record struct TrendTest(double? ChiSquare, double? PValue, TrendDirection Direction, TrendJudgement? Judgement);

/// <summary>
/// Comparisons as Fingertips makes them, as pure functions over proportions (0 to 1) or any values: against a
/// comparator, among peers (quartiles, funnel limits), and over time (the chi-squared test for trend).
/// </summary>
public static class Fingertips
{
    public const double Z95 = Statistics.Z95;
    public const double Z998 = 3.090232;

    /// <summary>
    /// The organisation's interval against the comparator's point value: wholly above is better (or higher), wholly
    /// below worse (or lower), touching or containing it similar; a missing value is not compared.
    /// </summary>
    public static Outcome Compare(double? lower, double? upper, double? comparator, Polarity polarity)
    {
        if (lower is not { } low || upper is not { } high || comparator is not { } value) return Outcome.NotCompared;
        if (low > value) return polarity switch
        {
            Polarity.HigherIsBetter => Outcome.Better,
            Polarity.LowerIsBetter => Outcome.Worse,
            _ => Outcome.Higher
        };
        if (high < value) return polarity switch
        {
            Polarity.HigherIsBetter => Outcome.Worse,
            Polarity.LowerIsBetter => Outcome.Better,
            _ => Outcome.Lower
        };
        return Outcome.Similar;
    }

    /// <summary>Excel's QUARTILE.INC: linear interpolation between order statistics at p × (n − 1).</summary>
    public static double QuartileInc(IReadOnlyList<double> sorted, int quartile)
    {
        if (sorted.Count == 0) throw new ArgumentException("No values.", nameof(sorted));
        var position = quartile / 4.0 * (sorted.Count - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    public static Quartiles? QuartilesOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? null : new Quartiles(QuartileInc(sorted, 1), QuartileInc(sorted, 2), QuartileInc(sorted, 3));
    }

    /// <summary>The quartile a value falls in, 1 the lowest: at or below Q1 is 1, at or below the median 2, at or below Q3 3, above it
    /// 4.</summary>
    public static int QuartileOf(double value, Quartiles quartiles) =>
        value <= quartiles.Q1 ? 1 : value <= quartiles.Median ? 2 : value <= quartiles.Q3 ? 3 : 4;

    /// <summary>Funnel limits for a proportion: p0 ± z·√(p0(1 − p0)/n), clipped to 0–1.</summary>
    public static FunnelLimits Funnel(double p0, long denominator)
    {
        var spread = Math.Sqrt(p0 * (1 - p0) / denominator);
        static double Clip(double p) => Math.Clamp(p, 0, 1);
        return new FunnelLimits(Clip(p0 - Z95 * spread), Clip(p0 + Z95 * spread), Clip(p0 - Z998 * spread), Clip(p0 + Z998 * spread));
    }

    /// <summary>Where a proportion sits: outside a limit only when strictly beyond it (a point on the limit is within).</summary>
    public static FunnelPosition PositionIn(double proportion, FunnelLimits limits) =>
        proportion > limits.Upper998 ? FunnelPosition.Above998
        : proportion > limits.Upper95 ? FunnelPosition.Above95
        : proportion < limits.Lower998 ? FunnelPosition.Below998
        : proportion < limits.Lower95 ? FunnelPosition.Below95
        : FunnelPosition.Within;

    /// <summary>
    /// The chi-squared test for trend in proportions (Cochran–Armitage, 1 degree of freedom, scores 1…k) over the
    /// periods given oldest first; five are needed. p &lt; 0.05 is a change, named by its direction and, where the
    /// indicator has one, its polarity.
    /// </summary>
    public static TrendTest TrendOf(IReadOnlyList<(long Numerator, long Denominator)> periods, Polarity polarity)
    {
        if (periods.Count < 5 || periods.Any(p => p.Denominator <= 0)) return new TrendTest(null, null, TrendDirection.CannotBeCalculated,
            null);
        double n = periods.Sum(p => (double)p.Denominator), x = periods.Sum(p => (double)p.Numerator);
        var pBar = x / n;
        double t = 0, sumNt = 0, sumNt2 = 0;
        for (var i = 0; i < periods.Count; i++)
        {
            var score = i + 1.0;
            t += score * (periods[i].Numerator - periods[i].Denominator * pBar);
            sumNt += periods[i].Denominator * score;
            sumNt2 += periods[i].Denominator * score * score;
        }
        var variance = pBar * (1 - pBar) * (sumNt2 - sumNt * sumNt / n);
        if (variance <= 0) return new TrendTest(0, 1, TrendDirection.NoSignificantChange, null); // every period 0%, or every one 100%
        var chiSquare = t * t / variance;
        var p = Statistics.ChiSquareUpperTail(chiSquare, 1);
        if (p >= 0.05) return new TrendTest(chiSquare, p, TrendDirection.NoSignificantChange, null);
        var rising = t > 0;
        TrendJudgement? judgement = polarity switch
        {
            Polarity.HigherIsBetter => rising ? TrendJudgement.GettingBetter : TrendJudgement.GettingWorse,
            Polarity.LowerIsBetter => rising ? TrendJudgement.GettingWorse : TrendJudgement.GettingBetter,
            _ => null,
        };
        return new TrendTest(chiSquare, p, rising ? TrendDirection.Increasing : TrendDirection.Decreasing, judgement);
    }
}
