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
        Assert.Equal(BenchmarkSide.Higher, Statistics.Compare(new Interval(0.41, 0.50), 0.40));
        Assert.Equal(BenchmarkSide.Lower, Statistics.Compare(new Interval(0.20, 0.39), 0.40));
        Assert.Equal(BenchmarkSide.Similar, Statistics.Compare(new Interval(0.35, 0.45), 0.40));
        Assert.Equal(BenchmarkSide.Similar, Statistics.Compare(new Interval(0.40, 0.45), 0.40));
    }

    [Fact]
    public void MediansAreTheMiddleOrTheMeanOfTheTwoMiddles()
    {
        // Of several sorted runs, as of the runs put together.
        var random = new Random(27);
        for (var trial = 0; trial < 500; trial++)
        {
            var runs = Enumerable.Range(0, random.Next(1, 6))
                .Select(_ => Enumerable.Range(0, random.Next(0, 9)).Select(_ => random.Next(-3, 40)).Order().ToArray()).ToList();
            Assert.Equal(Statistics.Median(runs.SelectMany(r => r).ToArray()), Statistics.MedianOfRuns(runs));
        }

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
        var published = DisclosureControl.Publish(Unit.Percent, DisclosureControl.SafeCount(numerator),
            DisclosureControl.SafeCount(denominator), null, 40, exact: false);
        Assert.Equal(suppressed, published.Suppressed);
        if (suppressed) Assert.True(published.Value is null && published.Lower is null && published.Upper is null
            && published.Comparison is null);
        var exact = DisclosureControl.Publish(Unit.Percent, numerator, denominator, null, 40, exact: true);
        Assert.Equal(denominator == 0, exact.Value is null);
        Assert.Equal(numerator, exact.Numerator);
    }

    [Fact]
    public void AShownPercentageAndItsIntervalAreComputedFromThePublishedCounts()
    {
        // 7 of 9 is 78%, but only 5 of 10 is published: the percentage and interval say nothing the counts do not.
        var published = DisclosureControl.Publish(Unit.Percent, DisclosureControl.SafeCount(7), DisclosureControl.SafeCount(9), null, null,
            exact: false);
        Assert.Equal((5L, 10L, 50.0), (published.Numerator!.Value, published.Denominator!.Value, published.Value!.Value));
        var wilson = Statistics.Wilson(5, 10)!.Value;
        Assert.Equal((Math.Round(wilson.Lower * 100), Math.Round(wilson.Upper * 100)), (published.Lower!.Value, published.Upper!.Value));
    }

    [Fact]
    public void EveryIndicatorsUnitIsTheUnitOfHowItIsWorkedOut() =>
        Assert.All(IndicatorCatalogue.All, d => Assert.Equal(d.Measure.Unit, d.Unit));

    private static Dictionary<CellKey, long> Table(params (Cell Cell, int Group, long Count)[] cells) =>
        cells.ToDictionary(c => new CellKey(c.Cell, 0, c.Group), c => c.Count);

    [Fact]
    public void ABandHiddenAloneGetsTheNextSmallestHiddenToo()
    {
        // 40 accessed: 30 within 7 days, 7 in 8-30, 3 after 30. Within 30 days (37) against 40 would give the 3 back.
        var table = Table((Cell.Accessed, DisclosureControl.All, 40), (Cell.Within7, DisclosureControl.All, 30),
            (Cell.From8To30, DisclosureControl.All, 7), (Cell.Over30, DisclosureControl.All, 3),
                (Cell.Within30, DisclosureControl.All, 37));
        var hidden = DisclosureControl.Suppress(table, Breakdown.None).Select(k => k.Cell).Order().ToList();
        // After 30 days (3) is hidden; so is 8-30 days (7, the smaller of the other bands), and within 30 days, its complement.
        Assert.Equal([Cell.Within30, Cell.From8To30, Cell.Over30], hidden);
        Assert.DoesNotContain(Cell.Accessed, hidden);
    }

    [Fact]
    public void AGroupHiddenAloneGetsTheSmallestOtherGroupHiddenAndKnownEthnicityIsATotalToo()
    {
        // white 50 (A), mixed 3 (D), asian 9 (H), black 12 (M), other 20 (R), not stated 6 (Z), not known 0 (99); the
        // three ethnicity breakdowns share one table, since their groups are made of the same categories.
        var categories = new Dictionary<string, long> { ["A"] = 50, ["D"] = 3, ["H"] = 9, ["M"] = 12, ["R"] = 20, ["Z"] = 6 };
        var cells = Breakdowns.EthnicCategories.Select((c, i) => (Cell.Accessed, i, categories.GetValueOrDefault(c)))
            .Concat(Breakdowns.EthnicGroups.Select((g, i) => (Cell.Accessed, DisclosureControl.TableGroup(Breakdown.EthnicGroup, i),
                categories.Where(c => Breakdowns.BroadGroupOf(c.Key) == g).Sum(c => c.Value))))
            .Concat([(Cell.Accessed, 200, 50L), (Cell.Accessed, 201, 44L), (Cell.Accessed, 202, 6L), (Cell.Accessed, 203, 0L),
                (Cell.Accessed, DisclosureControl.Known, 94L), (Cell.Accessed, DisclosureControl.All, 100L)]).ToArray();
        var totals = new Dictionary<CellKey, long?> { [new CellKey(Cell.Accessed, 0, DisclosureControl.All)] = 100 };
        var hidden = DisclosureControl.Suppress(Table(cells), Breakdown.EthnicGroup, totals);
        // Mixed (3) and not known (0) are under 5. Known ethnicity (94) has mixed alone hidden among the broad groups, so
        // asian (9) goes too; all (100) = known + not stated + not known has not known alone hidden, so not stated (6) goes
        // too, in every breakdown that shows it.
        Assert.Equal([1, 2, 5, 6], hidden.Where(k => k.Group is >= 100 and < 200).Select(k => k.Group - 100).Order());
        Assert.Equal([202, 203], hidden.Where(k => k.Group >= 200).Select(k => k.Group).Order());
        Assert.Contains(new CellKey(Cell.Accessed, 0, Breakdowns.NotStated), hidden);
    }

    [Fact]
    public void HiddenCellsThatTheRoundingWouldPinAtZeroHideAnother()
    {
        // Four categories of 8 (each shown as 10: at least 8) and fourteen of 0 (hidden), total 32 (shown as 30: at most
        // 32). 32 - 4 × 8 leaves the hidden fourteen nothing: every one would be pinned at 0.
        var cells = Enumerable.Range(0, 18).Select(g => (Cell.Accessed, g, g < 4 ? 8L : 0L))
            .Append((Cell.Accessed, DisclosureControl.All, 32L)).Append((Cell.Accessed, DisclosureControl.Known, 32L)).ToArray();
        var totals = new Dictionary<CellKey, long?> { [new CellKey(Cell.Accessed, 0, DisclosureControl.All)] = 30 };
        var hidden = DisclosureControl.Suppress(Table(cells), Breakdown.EthnicCategory, totals).Select(k => k.Group).ToHashSet();
        Assert.Contains(0, hidden); // one of the 8s, the first by group order
        Assert.DoesNotContain(DisclosureControl.All, hidden);
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
        var series = Period.Series(PeriodType.Quarter, Period.MonthIndex(new DateOnly(2025, 2, 1)),
            Period.MonthIndex(new DateOnly(2025, 8, 1)));
        Assert.Equal(["2024-25-Q4", "2025-26-Q1", "2025-26-Q2"], series.Select(p => p.Label));
    }
}
