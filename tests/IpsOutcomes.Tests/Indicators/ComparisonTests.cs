using IpsOutcomes.Indicators;

namespace IpsOutcomes.Tests.Indicators;

/// <summary>comparisons.md's rules, each against a case worked by hand, at its edges.</summary>
public class ComparisonTests
{
    [Theory]
    [InlineData(0.41, 0.50, 0.40, Polarity.HigherIsBetter, Outcome.Better)]
    [InlineData(0.40, 0.50, 0.40, Polarity.HigherIsBetter, Outcome.Similar)] // the interval touches the comparator
    [InlineData(0.30, 0.40, 0.40, Polarity.HigherIsBetter, Outcome.Similar)]
    [InlineData(0.30, 0.39, 0.40, Polarity.HigherIsBetter, Outcome.Worse)]
    [InlineData(0.41, 0.50, 0.40, Polarity.LowerIsBetter, Outcome.Worse)]
    [InlineData(0.30, 0.39, 0.40, Polarity.LowerIsBetter, Outcome.Better)]
    [InlineData(0.41, 0.50, 0.40, Polarity.NoJudgement, Outcome.Higher)]
    [InlineData(0.30, 0.39, 0.40, Polarity.NoJudgement, Outcome.Lower)]
    [InlineData(0.35, 0.45, 0.40, Polarity.NoJudgement, Outcome.Similar)]
    public void AnIntervalAgainstAComparator(double lower, double upper, double comparator, Polarity polarity, Outcome expected) =>
        Assert.Equal(expected, Fingertips.Compare(lower, upper, comparator, polarity));

    [Fact]
    public void AMissingValueIsNotCompared()
    {
        Assert.Equal(Outcome.NotCompared, Fingertips.Compare(null, 0.5, 0.4, Polarity.HigherIsBetter));
        Assert.Equal(Outcome.NotCompared, Fingertips.Compare(0.41, 0.5, null, Polarity.HigherIsBetter));
    }

    // Excel's QUARTILE.INC for n = 1 to 5.
    [Theory]
    [InlineData(new[] { 5.0 }, 5.0, 5.0, 5.0)]
    [InlineData(new[] { 3.0, 1.0 }, 1.5, 2.0, 2.5)]
    [InlineData(new[] { 4.0, 1.0, 2.0 }, 1.5, 2.0, 3.0)]
    [InlineData(new[] { 1.0, 2.0, 3.0, 4.0 }, 1.75, 2.5, 3.25)]
    [InlineData(new[] { 5.0, 4.0, 3.0, 2.0, 1.0 }, 2.0, 3.0, 4.0)]
    public void QuartilesAsExcelsQuartileIncGivesThem(double[] values, double q1, double median, double q3)
    {
        var quartiles = Fingertips.QuartilesOf(values)!.Value;
        Assert.Equal(q1, quartiles.Q1, 12);
        Assert.Equal(median, quartiles.Median, 12);
        Assert.Equal(q3, quartiles.Q3, 12);
    }

    [Theory]
    [InlineData(2.0, 1)] // on Q1
    [InlineData(2.5, 2)]
    [InlineData(3.0, 2)] // on the median
    [InlineData(3.5, 3)]
    [InlineData(4.0, 3)] // on Q3
    [InlineData(4.5, 4)]
    public void TheQuartileAValueFallsIn(double value, int quartile) =>
        Assert.Equal(quartile, Fingertips.QuartileOf(value, new Quartiles(2, 3, 4)));

    [Fact]
    public void FunnelLimitsAroundTheComparatorsProportion()
    {
        // p0 = 40%, n = 100: √(0.4 × 0.6 / 100) = 0.0489898.
        var limits = Fingertips.Funnel(0.4, 100);
        Assert.Equal(0.4 + 1.959964 * 0.0489898, limits.Upper95, 6);
        Assert.Equal(0.4 - 3.090232 * 0.0489898, limits.Lower998, 6);
        Assert.Equal(FunnelPosition.Within, Fingertips.PositionIn(limits.Upper95, limits)); // exactly on a limit is within
        Assert.Equal(FunnelPosition.Above95, Fingertips.PositionIn(limits.Upper95 + 1e-9, limits));
        Assert.Equal(FunnelPosition.Above998, Fingertips.PositionIn(limits.Upper998 + 1e-9, limits));
        Assert.Equal(FunnelPosition.Below95, Fingertips.PositionIn(limits.Lower95 - 1e-9, limits));
        Assert.Equal(FunnelPosition.Below95, Fingertips.PositionIn(limits.Lower998, limits)); // on the 99.8% limit: beyond the 95% one only
        Assert.Equal(0, Fingertips.Funnel(0.02, 5).Lower95); // clipped at 0%
    }

    [Fact]
    public void TheChiSquaredTestForTrendMatchesAWorkedExample()
    {
        // 10, 15, 20, 25, 30 of 100 each: p̄ = 0.2, T = Σt·x − p̄·Σt·n = 350 − 300 = 50,
        // Var = p̄(1 − p̄)(Σt²·n − (Σt·n)²/N) = 0.16 × (5500 − 4500) = 160, χ² = 2500/160 = 15.625 (R's prop.trend.test).
        var periods = new (long, long)[] { (10, 100), (15, 100), (20, 100), (25, 100), (30, 100) };
        var rising = Fingertips.TrendOf(periods, Polarity.HigherIsBetter);
        Assert.Equal(15.625, rising.ChiSquare!.Value, 9);
        Assert.Equal(7.72268e-5, rising.PValue!.Value, 9);
        Assert.Equal(TrendDirection.Increasing, rising.Direction);
        Assert.Equal(TrendJudgement.GettingBetter, rising.Judgement);
        Assert.Equal(TrendJudgement.GettingWorse, Fingertips.TrendOf(periods, Polarity.LowerIsBetter).Judgement);
        Assert.Null(Fingertips.TrendOf(periods, Polarity.NoJudgement).Judgement);

        var falling = Fingertips.TrendOf(periods.Reverse().ToArray(), Polarity.HigherIsBetter);
        Assert.Equal((TrendDirection.Decreasing, TrendJudgement.GettingWorse), (falling.Direction, falling.Judgement!.Value));
        Assert.Equal(TrendDirection.NoSignificantChange,
            Fingertips.TrendOf([(20, 100), (22, 100), (19, 100), (21, 100), (20, 100)], Polarity.HigherIsBetter).Direction);
        Assert.Equal(TrendDirection.CannotBeCalculated, Fingertips.TrendOf(periods[..4], Polarity.HigherIsBetter).Direction);
    }
}
