using IpsOutcomes.Indicators;

namespace IpsOutcomes.Tests.Equality;

public class EqualityStatisticsTests
{
    [Fact]
    public void ChiSquareReproducesTheSpecCheckValue()
    {
        long[] jobs = [93, 72, 41, 20, 22];
        long[] totals = [278, 191, 127, 59, 59];
        var test = Statistics.ChiSquare(jobs, jobs.Zip(totals, (x, n) => n - x).ToList())!.Value;
        Assert.Equal(1.465, Math.Round(test.Statistic, 3));
        Assert.Equal(4, test.DegreesOfFreedom);
        Assert.Equal(0.833, Math.Round(test.PValue, 3));
        Assert.False(test.Significant);
        Assert.False(test.Unreliable);
    }

    // Critical values at p = 0.05 and others from standard chi-square tables, across small and large degrees of freedom.
    [Theory]
    [InlineData(3.841459, 1, 0.05)]
    [InlineData(1.0, 1, 0.317311)]
    [InlineData(5.991465, 2, 0.05)]
    [InlineData(9.487729, 4, 0.05)]
    [InlineData(6.634897, 1, 0.01)]
    [InlineData(18.307038, 10, 0.05)]
    [InlineData(43.772972, 30, 0.05)]
    [InlineData(124.342113, 100, 0.05)]
    [InlineData(1074.679449, 1000, 0.05)]
    [InlineData(0.0, 3, 1.0)]
    [InlineData(200.0, 5, 2.6e-41)]
    public void TheChiSquareTailMatchesTables(double x, int df, double p) =>
        Assert.Equal(p, Statistics.ChiSquareUpperTail(x, df), p * 1e-4 + 1e-12);

    [Fact]
    public void CochransRuleWarnsWhenAnExpectedCountIsUnderFive()
    {
        var test = Statistics.ChiSquare([2, 8], [10, 10])!.Value;
        Assert.True(test.Unreliable);
        Assert.Null(Statistics.ChiSquare([0, 0], [0, 0]));
        Assert.Null(Statistics.ChiSquare([5], [5]));
    }

    [Fact]
    public void TheRepresentationRatioUsesTheLogMethod()
    {
        // 10 of 200 accessing against 200 of 1,000 in the population: 0.05 / 0.20 = 0.25.
        var ratio = Statistics.RepresentationRatio(10, 200, 200, 1000)!.Value;
        Assert.Equal(0.25, ratio.Value, 10);
        var se = Math.Sqrt(1.0 / 10 - 1.0 / 200 + 1.0 / 200 - 1.0 / 1000);
        Assert.Equal(0.25 * Math.Exp(-1.959964 * se), ratio.Interval!.Value.Lower, 10);
        Assert.Equal(0.25 * Math.Exp(1.959964 * se), ratio.Interval!.Value.Upper, 10);
        Assert.Null(Statistics.RepresentationRatio(5, 100, 0, 1000));
        Assert.Null(Statistics.RepresentationRatio(0, 100, 10, 1000)!.Value.Interval);
    }

    [Fact]
    public void TheRateRatioUsesKatzsInterval()
    {
        // 20 of 100 against 40 of 100: 0.5, exp(±1.959964 × √(1/20 − 1/100 + 1/40 − 1/100)).
        var ratio = Statistics.RateRatio(20, 100, 40, 100)!.Value;
        Assert.Equal(0.5, ratio.Value, 10);
        var se = Math.Sqrt(1.0 / 20 - 1.0 / 100 + 1.0 / 40 - 1.0 / 100);
        Assert.Equal(0.5 * Math.Exp(-1.959964 * se), ratio.Interval!.Value.Lower, 10);
        Assert.Null(Statistics.RateRatio(5, 10, 0, 10));
    }
}
