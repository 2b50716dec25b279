using IpsOutcomes.Charts;

namespace IpsOutcomes.Tests.Charts;

/// <summary>The axes' arithmetic, worked by hand.</summary>
public class ChartLayoutTests
{
    [Theory]
    [InlineData(0, 100, false, new[] { 0.0, 20, 40, 60, 80, 100 })]
    [InlineData(-0.3, 4.2, false, new[] { 0.0, 1, 2, 3, 4 })]      // never "-0"
    [InlineData(0, 2.2, false, new[] { 0.0, 0.5, 1, 1.5, 2 })]
    [InlineData(0, 2.2, true, new[] { 0.0, 1, 2 })]                // a count has no half people
    public void TicksAreRoundNumbersCoveringTheRange(double min, double max, bool whole, double[] expected)
    {
        var ticks = new Scale(min, max, 0, 100, Whole: whole).Ticks();
        Assert.Equal(expected, ticks);
        Assert.DoesNotContain(ticks, t => double.IsNegative(t) && t == 0);
    }

    [Fact]
    public void ALogScalePutsOneInTheMiddleOfAHalfToTwoRange()
    {
        var scale = new Scale(0.5, 2, 0, 100, Log: true);
        Assert.Equal(50, scale.Map(1), 9);
        Assert.Equal(new[] { 0.5, 1, 2 }, scale.Ticks());
        Assert.Equal(0, scale.Map(0.1)); // beyond the range: at its edge
    }

    [Fact]
    public void AChartSaysHowManyMarksItLeftOutAndNothingWhenItLeftOutNone()
    {
        Assert.Null(ChartText.Hidden(0, "month", "why"));
        Assert.Equal("1 month not drawn: why.", ChartText.Hidden(1, "month", "why"));
        Assert.Equal("3 months not drawn: why.", ChartText.Hidden(3, "month", "why"));
    }
}
