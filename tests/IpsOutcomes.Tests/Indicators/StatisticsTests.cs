using IpsOutcomes.Indicators;

namespace IpsOutcomes.Tests.Indicators;

public class StatisticsTests
{
    [Fact]
    public void WilsonReproducesTheSpecCheckValue()
    {
        var interval = Statistics.Wilson(248, 714)!.Value;
        Assert.Equal(31.33, Math.Round(interval.Lower * 100, 2));
        Assert.Equal(38.30, Math.Round(interval.Upper * 100, 2));
    }

    [Theory]
    [InlineData(0, 10, 0.0, 0.2775)]
    [InlineData(10, 10, 0.7225, 1.0)]
    [InlineData(1, 1, 0.2065, 1.0)]
    [InlineData(5, 10, 0.2366, 0.7634)]
    public void WilsonHandlesTheEdges(long successes, long trials, double lower, double upper)
    {
        var interval = Statistics.Wilson(successes, trials)!.Value;
        Assert.Equal(lower, interval.Lower, 4);
        Assert.Equal(upper, interval.Upper, 4);
        Assert.InRange(interval.Lower, 0, successes / (double)trials);
        Assert.InRange(interval.Upper, successes / (double)trials, 1);
    }

    [Fact]
    public void WilsonHasNoIntervalForNothingOrNonsense()
    {
        Assert.Null(Statistics.Wilson(0, 0));
        Assert.Null(Statistics.Wilson(5, 3));
        Assert.Null(Statistics.Wilson(-1, 3));
    }

    [Fact]
    public void BenchmarkComparisonNeedsTheIntervalToClearIt()
    {
        Assert.Equal(Comparison.Higher, Statistics.Compare(new Interval(0.41, 0.50), 0.40));
        Assert.Equal(Comparison.Lower, Statistics.Compare(new Interval(0.20, 0.39), 0.40));
        Assert.Equal(Comparison.Similar, Statistics.Compare(new Interval(0.35, 0.45), 0.40));
        Assert.Equal(Comparison.Similar, Statistics.Compare(new Interval(0.40, 0.45), 0.40));
    }

    [Fact]
    public void MediansAreTheMiddleOrTheMeanOfTheTwoMiddles()
    {
        Assert.Null(Statistics.Median([]));
        Assert.Equal(7, Statistics.Median([7]));
        Assert.Equal(4, Statistics.Median([7, 1]));
        Assert.Equal(7, Statistics.Median([36, 7, 1, 7, 5]));
        Assert.Equal(18.5, Statistics.Median([28, 9]));
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(4, null)]
    [InlineData(5, 5L)]
    [InlineData(7, 5L)]
    [InlineData(8, 10L)]
    [InlineData(12, 10L)]
    [InlineData(13, 15L)]
    [InlineData(1234, 1235L)]
    public void CountsUnderFiveAreSuppressedAndTheRestRoundedToFive(long count, long? published) =>
        Assert.Equal(published, DisclosureControl.SafeCount(count));

    [Theory]
    [InlineData(4, 100, true)]
    [InlineData(5, 4, true)]
    [InlineData(0, 0, true)]
    [InlineData(5, 5, false)]
    [InlineData(7, 9, false)]
    public void PercentagesNeedFiveOnTopAndBottom(long numerator, long denominator, bool suppressed)
    {
        var raw = new RawValue("employment_rate", 0, 0, numerator, denominator, denominator == 0 ? null : 100.0 * numerator / denominator);
        var published = DisclosureControl.Publish(raw, Unit.Percent, 40, exact: false);
        Assert.Equal(suppressed, published.Suppressed);
        if (suppressed) Assert.True(published.Value is null && published.Lower is null && published.Upper is null && published.Comparison is null);
        else Assert.Equal(Math.Round(100.0 * numerator / denominator), published.Value);
        var exact = DisclosureControl.Publish(raw, Unit.Percent, 40, exact: true);
        Assert.False(exact.Suppressed);
        Assert.Equal(numerator, exact.Numerator);
    }

    [Fact]
    public void AShownPercentageIsComputedFromTheUnroundedNumbers()
    {
        // 7 of 9 is 78%; from the rounded 5 of 10 it would be 50%.
        var published = DisclosureControl.Publish(new RawValue("x", 0, 0, 7, 9, 100.0 * 7 / 9), Unit.Percent, null, exact: false);
        Assert.Equal(78, published.Value);
        Assert.Equal(5, published.Numerator);
        Assert.Equal(10, published.Denominator);
    }

    [Theory]
    [InlineData("2025-04", PeriodType.Quarter, "2025-26-Q1", "2025-04-01", "2025-06-30")]
    [InlineData("2025-06", PeriodType.Quarter, "2025-26-Q1", "2025-04-01", "2025-06-30")]
    [InlineData("2025-07", PeriodType.Quarter, "2025-26-Q2", "2025-07-01", "2025-09-30")]
    [InlineData("2026-01", PeriodType.Quarter, "2025-26-Q4", "2026-01-01", "2026-03-31")]
    [InlineData("2026-03", PeriodType.Fytd, "2025-26 to 2026-03", "2025-04-01", "2026-03-31")]
    [InlineData("2026-04", PeriodType.Fytd, "2026-27 to 2026-04", "2026-04-01", "2026-04-30")]
    [InlineData("2025-03", PeriodType.Rolling12, "12 months to 2025-03", "2024-04-01", "2025-03-31")]
    [InlineData("2024-02", PeriodType.Month, "2024-02", "2024-02-01", "2024-02-29")]
    public void PeriodsFollowNhsFinancialYears(string month, PeriodType type, string label, string first, string last)
    {
        var period = Period.Ending(type, Period.MonthIndex(DateOnly.Parse(month + "-01")));
        Assert.Equal(label, period.Label);
        Assert.Equal(DateOnly.Parse(first), period.FirstDay);
        Assert.Equal(DateOnly.Parse(last), period.LastDay);
    }

    [Fact]
    public void AQuarterlySeriesHasOneRowPerQuarter()
    {
        var series = Period.Series(PeriodType.Quarter, Period.MonthIndex(new DateOnly(2025, 2, 1)), Period.MonthIndex(new DateOnly(2025, 8, 1)));
        Assert.Equal(["2024-25-Q4", "2025-26-Q1", "2025-26-Q2"], series.Select(p => p.Label));
    }
}
