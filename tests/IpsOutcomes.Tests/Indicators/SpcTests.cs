using IpsOutcomes.Indicators;

namespace IpsOutcomes.Tests.Indicators;

/// <summary>
/// XmR charts worked by hand with the rules NHSRplotthedots applies (comparisons.md). The baseline is 12 months
/// alternating 12, 10, …: mean 11, every moving range 2, so limits 11 ± 2.66 × 2 = 5.68 to 16.32 and the
/// close-to-limits band beyond 11 ± 3.5467 (7.4533 and 14.5467). Limits are fixed after those 12 points.
/// </summary>
public class SpcTests
{
    private static readonly double?[] Baseline = Enumerable.Range(0, 12).Select(i => (double?)(i % 2 == 0 ? 12 : 10)).ToArray();

    private static SpcChart Chart(params double?[] after) =>
        Spc.Xmr([.. Baseline, .. after], Polarity.HigherIsBetter, fixAfter: 12);

    private static SpcRule[] Rules(SpcChart chart) => chart.Points.Skip(12).Select(p => p.Rules).ToArray();

    [Fact]
    public void TheBaselineGivesTheMeanTheLimitsAndTheBand()
    {
        var chart = Spc.Xmr(Baseline, Polarity.HigherIsBetter);
        var point = chart.Points[0];
        Assert.Equal(11, point.Mean!.Value, 9);
        Assert.Equal(5.68, point.LowerLimit!.Value, 9);
        Assert.Equal(16.32, point.UpperLimit!.Value, 9);
        Assert.Equal(11 + 5.32 * 2 / 3, point.UpperNear!.Value, 9);
        Assert.All(chart.Points, p => Assert.Equal(PointState.CommonCause, p.State));
        Assert.Equal(PointState.CommonCause, chart.Variation);
    }

    [Fact]
    public void FewerThanTwelvePointsShowNoLimits()
    {
        var chart = Spc.Xmr(Baseline[..11], Polarity.HigherIsBetter);
        Assert.All(chart.Points, p => Assert.Null(p.UpperLimit));
    }

    [Fact]
    public void APointOutsideTheLimits()
    {
        Assert.Equal([SpcRule.OutsideLimits], Rules(Chart(16.33)));
        Assert.Equal([SpcRule.None], Rules(Chart(16.32))); // on the limit is inside
        Assert.Equal(PointState.Improvement, Chart(16.33).Variation);
        Assert.Equal(PointState.Concern, Spc.Xmr([.. Baseline, 16.33], Polarity.LowerIsBetter, fixAfter: 12).Variation);
        Assert.Equal(PointState.NeutralLow, Spc.Xmr([.. Baseline, 5.0], Polarity.NoJudgement, fixAfter: 12).Variation);
    }

    [Fact]
    public void SevenInARowOnOneSideOfTheMeanIsAShiftAndSixIsNot()
    {
        Assert.All(Rules(Chart(11.5, 11.5, 11.5, 11.5, 11.5, 11.5, 11.5)), r => Assert.Equal(SpcRule.Shift, r));
        Assert.All(Rules(Chart(11.5, 11.5, 11.5, 11.5, 11.5, 11.5, 10.5)), r => Assert.Equal(SpcRule.None, r));
        // A point on the mean ends the run; so does a gap.
        Assert.All(Rules(Chart(11.5, 11.5, 11.5, 11, 11.5, 11.5, 11.5, 11.5)), r => Assert.Equal(SpcRule.None, r));
        var gap = Chart(11.5, 11.5, 11.5, null, 11.5, 11.5, 11.5, 11.5);
        Assert.All(Rules(gap), r => Assert.Equal(SpcRule.None, r));
        Assert.Null(gap.Points[15].State);
    }

    [Fact]
    public void SevenRisingInARowIsATrendAndSixIsNot()
    {
        // Crossing the mean, so that no shift hides the trend.
        Assert.All(Rules(Chart(9.5, 10, 10.5, 11.5, 12, 12.5, 13)), r => Assert.Equal(SpcRule.Trend, r));
        Assert.Equal(PointState.Improvement, Chart(9.5, 10, 10.5, 11.5, 12, 12.5, 13).Variation);
        Assert.All(Rules(Chart(9.5, 10, 10.5, 11.5, 12, 12.5, 12.4)), r => Assert.Equal(SpcRule.None, r));
        Assert.All(Rules(Chart(9.5, 10, 10.5, 10.5, 12, 12.5, 13)), r => Assert.Equal(SpcRule.None, r)); // a tie ends it
        Assert.All(Rules(Chart(9.5, 10, 10.5, null, 12, 12.5, 13)), r => Assert.Equal(SpcRule.None, r));   // so does a gap
    }

    [Fact]
    public void TwoOfThreeCloseToALimitOnOneSide()
    {
        Assert.Equal([SpcRule.TwoOfThreeNearLimits, SpcRule.None, SpcRule.TwoOfThreeNearLimits], Rules(Chart(15, 11.2, 15)));
        Assert.Equal([SpcRule.None, SpcRule.None, SpcRule.None], Rules(Chart(15, 10.9, 15))); // not all on one side
        Assert.Equal([SpcRule.None, SpcRule.None, SpcRule.None], Rules(Chart(14.5, 11.2, 15)));  // 14.5 is not beyond 14.5467
    }

    [Fact]
    public void AssuranceComparesTheLimitsWithATarget()
    {
        Assert.Equal(Assurance.ConsistentlyPasses, Spc.Xmr(Baseline, Polarity.HigherIsBetter, target: 5).Assurance);
        Assert.Equal(Assurance.ConsistentlyFails, Spc.Xmr(Baseline, Polarity.HigherIsBetter, target: 20).Assurance);
        Assert.Equal(Assurance.HitAndMiss, Spc.Xmr(Baseline, Polarity.HigherIsBetter, target: 11).Assurance);
        Assert.Equal(Assurance.ConsistentlyPasses, Spc.Xmr(Baseline, Polarity.LowerIsBetter, target: 20).Assurance);
        Assert.Null(Spc.Xmr(Baseline, Polarity.NoJudgement, target: 20).Assurance);
    }

    [Fact]
    public void RebasingGivesEachSegmentItsOwnMeanAndLimits()
    {
        var second = Enumerable.Range(0, 12).Select(i => (double?)(i % 2 == 0 ? 22 : 20));
        var chart = Spc.Xmr([.. Baseline, .. second], Polarity.HigherIsBetter, rebaseAt: [12]);
        Assert.Equal(11, chart.Points[11].Mean!.Value, 9);
        Assert.Equal(21, chart.Points[12].Mean!.Value, 9);
        Assert.All(chart.Points, p => Assert.Equal(PointState.CommonCause, p.State));
        // Without rebasing, the same months are one process that has moved: the second half is a shift.
        Assert.Equal(PointState.Improvement, Spc.Xmr([.. Baseline, .. second], Polarity.HigherIsBetter).Variation);
    }
}
