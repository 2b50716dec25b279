using IpsOutcomes.Indicators;

namespace IpsOutcomes.Tests.Indicators;

/// <summary>
/// The SPC against NHSRplotthedots itself (issue 23). The rule helpers' cases are the package's own unit tests
/// (tests/testthat/test-ptd_calculate_point_type.R), ported. The whole series were written to separate the service's
/// old reading (no outlier screening; the first rule to fire chose the direction, in the order outside, run,
/// two-in-three, trend) from the package's, and their expected means, limits and point types are what the package's
/// own functions gave: ptd_spc_standard's arithmetic and ptd_calculate_point_type (R/ptd_spc_standard.R and
/// R/ptd_calculate_point_type.R at nhs-r-community/NHSRplotthedots f7891af), run in R 4.2.2 with dplyr 1.0.10 on this
/// machine (Debian's r-base-core and r-cran-dplyr), with screen_outliers TRUE and FALSE.
/// </summary>
public class PlotTheDotsTests
{
    // The package's ptd_seven_point_one_side_mean and ptd_part_of_seven_trend cases: which points are part of a run.
    [Theory]
    [InlineData(new[] { 1, 1, 1, 1, 1, 1 }, "000000")]
    [InlineData(new[] { 1, 1, 1, 1, 1, 1, -1 }, "0000000")]
    [InlineData(new[] { 1, 1, 1, 1, 1, 1, 1, 1, -1 }, "111111110")]
    [InlineData(new[] { -1, -1, -1, -1, -1, -1, -1, -1, 1 }, "111111110")]
    [InlineData(new[] { -1, 1, 1, 1, 1, 1, 1, 1, 1, -1 }, "0111111110")]
    [InlineData(new[] { 1, 1, 1, 0, 1, 1, 1, 1 }, "00000000")] // a point on the mean ends a run
    public void SevenPointsOnOneSideOfTheMean(int[] sides, string part) =>
        Assert.Equal(part, Flags(Spc.OneSideRun(sides.Select(s => (int?)s).ToList())));

    // The package's ptd_seven_point_trend cases, as the points that are part of a trend, with their direction.
    [Theory]
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6 }, "000000")]
    [InlineData(new double[] { 1, 2, 3, 3, 4, 5, 6 }, "0000000")] // a tie ends a trend
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7 }, "+++++++")]
    [InlineData(new double[] { 2, 1, 2, 3, 4, 5, 6, 7, 3 }, "0+++++++0")]
    [InlineData(new double[] { 7, 6, 5, 4, 3, 2, 1 }, "-------")]
    [InlineData(new double[] { 2, 7, 6, 5, 4, 3, 2, 1, 3 }, "0-------0")]
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1 }, "++++++-------")] // the peak takes the step after it
    public void SevenPointTrend(double[] values, string part) =>
        Assert.Equal(part,
            string.Concat(Spc.Trend(values.Select(v => (double?)v).ToList()).Select(d => d switch { 1 => '+', -1 => '-', _ => '0' })));

    // The package's ptd_two_in_three and ptd_part_of_two_in_three cases (every point on one side of the mean), and a
    // window with a point on the mean, which counts as on neither side.
    [Theory]
    [InlineData("101", "111", "101")]
    [InlineData("011", "111", "011")]
    [InlineData("110", "111", "110")]
    [InlineData("0010100", "1111111", "0010100")]
    [InlineData("0011000", "1111111", "0011000")]
    [InlineData("1001", "1111", "0000")]
    [InlineData("10011", "11111", "00011")]
    [InlineData("101", "101", "000")] // the middle point is on the mean
    [InlineData("101", "1-1", "000")] // not all on one side
    public void TwoInThreeCloseToALimit(string close, string sides, string part)
    {
        var side = new List<int?>();
        for (var i = 0; i < sides.Length; i++) side.Add(sides[i] == '-' ? -1 : sides[i] - '0');
        Assert.Equal(part, Flags(Spc.TwoInThree(close.Select(c => c == '1').ToList(), side)));
    }

    public static TheoryData<string, double[], int[], bool, (double Mean, double Lower, double Upper)[], string> Series => new()
    {
        // A single wild month (70): screened out of MR̄, the limits narrow and month 6 (61) is special cause too.
        { "single wild month", S1, [], true, [(51.625, 43.0116666666667, 60.2383333333333)], ".....i......i..........." },
        { "single wild month", S1, [], false, [(51.625, 39.2502173913043, 63.9997826086957)], "............i..........." },
        // Seven months above the mean and falling: the trend decides, so they read as concern, not improvement.
        { "above the mean, falling", S2, [], true, [(42.9473684210526, 38.2532507739938, 47.6414860681115)], "......c.....iiicccc" },
        { "above the mean, falling", S2, [], false, [(42.9473684210526, 37.0362573099415, 48.8584795321637)], "............iiccccc" },
        // A falling trend whose first months are above the upper limit: outside the limits decides those (improvement),
        // the trend the rest (concern); before, the run above the mean read them all as improvement.
        { "a trend beyond the limits", S3, [], true, [(43.7894736842105, 37.5306501547988, 50.0482972136223)], "cccccccccccciiccccc" },
        { "a trend beyond the limits", S3, [], false, [(43.7894736842105, 34.9228070175439, 52.6561403508772)], "ccccccccccccicccccc" },
        // Re-based at month 13; the outlier (50) is in the second segment only, so only its limits change.
        { "re-based, an outlier in one segment", S4, [12], true,
            [(20.1666666666667, 16.2975757575758, 24.0357575757576), (31, 26.4984615384615, 35.5015384615385)], "..................i........c" },
        { "re-based, an outlier in one segment", S4, [12], false,
            [(20.1666666666667, 16.2975757575758, 24.0357575757576), (31, 19.828, 42.172)], "..................i........." },
        // The mean is exactly 50, and months 12 and 17 are on it: each ends a run.
        { "points on the mean", S5, [], true, [(50, 47.0444444444444, 52.9555555555556)], "cccccccc.i..iii....." },
        { "points on the mean", S5, [], false, [(50, 46.5, 53.5)], "cccccccc............" },
        // Rising months with a tie (49, 49) in them: no seven-point trend.
        { "a tie in a rise", S6, [], true, [(49.7, 46.48, 52.92)], "...........c.......i" },
        // A rise of seven then a fall of seven that share their peak (56, above the limit): months after the peak are
        // beyond the limit or in the fall.
        { "a rise and a fall sharing a peak", S7, [], true, [(49.1304347826087, 44.823768115942, 53.4371014492754)], "..........ciiiiiiiccccc" },
        { "a rise and a fall sharing a peak", S7, [], false, [(49.1304347826087, 44.173162055336, 54.0877075098814)], "..........ciiiiiicccccc" },
    };

    private static readonly double[] S1 = [50, 52, 49, 51, 50, 61, 48, 51, 50, 52, 49, 51, 70, 50, 52, 49, 51, 50, 53, 48, 51, 50, 52, 49];
    private static readonly double[] S2 = [40, 42, 39, 41, 40, 43, 38, 41, 40, 42, 41, 40, 50, 49, 48, 47, 46, 45, 44];
    private static readonly double[] S3 = [40, 42, 39, 41, 40, 43, 38, 41, 40, 42, 41, 40, 60, 52, 50, 48, 46, 45, 44];
    private static readonly double[] S4 = [20, 21, 19, 20, 22, 20, 19, 21, 20, 21, 19, 20, 30, 31, 29, 30, 31, 29, 50, 30, 31, 29, 30, 31,
        29, 30, 31, 25];
    private static readonly double[] S5 = [48, 47, 49, 48, 47, 49, 48, 47, 52, 53, 51, 50, 52, 53, 52, 51, 50, 51, 51, 51];
    private static readonly double[] S6 = [50, 49, 51, 50, 49, 51, 50, 49, 51, 50, 49, 46, 47, 48, 49, 49, 50, 51, 52, 53];
    private static readonly double[] S7 = [50, 51, 49, 50, 51, 49, 50, 51, 49, 50, 44, 45, 46, 47, 48, 49, 56, 54, 52, 50, 48, 46, 45];

    /// <param name="readings">Each month: '.' common cause, 'i' improvement, 'c' concern (spaces are for reading only).</param>
    [Theory]
    [MemberData(nameof(Series))]
    public void AWholeSeriesReadsAsThePackageReadsIt(string name, double[] values, int[] rebase,
        bool screenOutliers, (double Mean, double Lower, double Upper)[] segments, string readings)
    {
        var chart = Spc.Xmr(values.Select(v => (double?)v).ToList(), Polarity.HigherIsBetter, rebaseAt: rebase,
            screenOutliers: screenOutliers);
        var starts = rebase.Prepend(0).ToList();
        for (var s = 0; s < segments.Length; s++)
        {
            var point = chart.Points[starts[s]];
            Assert.Equal(segments[s].Mean, point.Mean!.Value, 1e-9);
            Assert.Equal(segments[s].Lower, point.LowerLimit!.Value, 1e-9);
            Assert.Equal(segments[s].Upper, point.UpperLimit!.Value, 1e-9);
        }
        Assert.True(Reading(chart) == readings.Replace(" ", ""), $"{name}: {Reading(chart)}");
    }

    /// <summary>Lower is better turns every reading the other way (the package's improvement_direction -1).</summary>
    [Fact]
    public void LowerIsBetterReadsTheOtherWay()
    {
        var chart = Spc.Xmr(S2.Select(v => (double?)v).ToList(), Polarity.LowerIsBetter);
        Assert.Equal("......i.....ccciiii", Reading(chart));
    }

    private static string Reading(SpcChart chart) => string.Concat(chart.Points.Select(p => p.State switch
    {
        PointState.Improvement => 'i',
        PointState.Concern => 'c',
        _ => '.',
    }));

    private static string Flags(IEnumerable<bool> part) => string.Concat(part.Select(p => p ? '1' : '0'));
}
