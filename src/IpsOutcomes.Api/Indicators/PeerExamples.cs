namespace IpsOutcomes.Indicators;

/// <summary>
/// The examples the OpenAPI document shows for the comparison answers. They are worked out by the same pure functions
/// as the answers (Wilson, the funnel, QUARTILE.INC, the trend test, XmR), so an example cannot say what the service
/// would not.
/// </summary>
public static class PeerExamples
{
    private const long Version = 42;

    private static readonly (string Code, string Name, long Employed, long Accessed)[] Peers =
    [
        ("RXG01", "Leeds IPS service", 96, 240), ("RXG02", "Bradford IPS service", 31, 150), ("RXG03", "Calderdale IPS service", 57, 110),
        ("RXG04", "Kirklees IPS service", 88, 190), ("RXG05", "Wakefield IPS service", 40, 85),
    ];

    private const double England = 36.4;

    public static readonly IReadOnlyList<IndicatorValue> Rows =
    [
        Row("RXG01", "Leeds IPS service", 96, 240) with
        {
            Comparisons =
            [
                Against("icb", "QWO", 38.2, 96, 240), Against("region", "Y63", 37.5, 96, 240),
                Against("england", "E92000001", England, 96, 240), Against("benchmark", null, 31.0, 96, 240),
            ],
            Quartile = 4,
            Trend = Fingertips.TrendOf([(70, 230), (74, 228), (81, 236), (88, 238), (96, 240)], Polarity.HigherIsBetter),
        },
    ];

    public static readonly FunnelReport Funnel = FunnelOf();

    public static readonly SpcReport Spc = SpcOf();

    public static readonly SpineReport Spine = new("RXG01", "Leeds IPS service", "provider", "12 months to 2025-03", Version,
    [
        new("employment_rate", "Employment rate", Unit.Percent, Polarity.HigherIsBetter, 40.0, Rows[0].LowerCi, Rows[0].UpperCi, false,
            Rows[0].Comparisons!, 4, Rows[0].Trend, Spc.Series[0].Variation, Spc.Series[0].Assurance),
        new("referrals", "Referrals", Unit.Count, Polarity.NoJudgement, 310, null, null, false,
            [new("icb", "QWO", 1450, Outcome.NotCompared), new("region", "Y63", 6200, Outcome.NotCompared),
             new("england", "E92000001", 41800, Outcome.NotCompared), new("benchmark", null, null, Outcome.NotCompared)],
            null, null, PointState.CommonCause, null),
    ]);

    public static readonly CoverageReport Coverage = new(Version, ["referrals", "accessed", "employment_rate"], ["month", "quarter", "fytd", "rolling12"],
    [
        new("icb", "QWO", "NHS West Yorkshire Integrated Care Board", null, "2022-04", "2025-03", Version),
        new("provider", "RXG01", "Leeds IPS service", "QWO", "2022-04", "2025-03", Version),
    ]);

    private static IndicatorValue Row(string code, string name, long employed, long accessed)
    {
        var interval = Statistics.Wilson(employed, accessed)!.Value;
        return new(code, name, "provider", "rolling12", "12 months to 2025-03", new(2024, 4, 1), new(2025, 3, 31), "employment_rate", Unit.Percent,
            "none", "all", employed, accessed, Math.Round(100.0 * employed / accessed, 1), Math.Round(interval.Lower * 100, 1),
            Math.Round(interval.Upper * 100, 1), 31.0, BenchmarkSide.Higher, false, Version);
    }

    private static ComparatorOutcome Against(string comparator, string? code, double value, long employed, long accessed)
    {
        var interval = Statistics.Wilson(employed, accessed)!.Value;
        return new(comparator, code, value, Fingertips.Compare(interval.Lower * 100, interval.Upper * 100, value, Polarity.HigherIsBetter));
    }

    private static FunnelReport FunnelOf()
    {
        var values = Peers.Select(p => Math.Round(100.0 * p.Employed / p.Accessed, 1)).ToList();
        var quartiles = Fingertips.QuartilesOf(values)!.Value;
        var points = Peers.Select((p, i) => new FunnelPoint(p.Code, p.Name, p.Employed, p.Accessed, values[i],
            Fingertips.PositionIn(values[i] / 100, Fingertips.Funnel(England / 100, p.Accessed)),
                Fingertips.QuartileOf(values[i], quartiles))).ToList();
        return new FunnelReport("employment_rate", "provider", "rolling12", "12 months to 2025-03", "england", England, quartiles, points,
            [FunnelLimitPoint.At(England / 100, 10), FunnelLimitPoint.At(England / 100, 100), FunnelLimitPoint.At(England / 100, 240)],
                Version);
    }

    private static SpcReport SpcOf()
    {
        double?[] values = [30.1, 31.5, 29.8, 32.0, 30.6, 31.2, null, 33.0, 34.1, 34.8, 35.2, 35.9, 36.3, 37.0];
        var chart = Indicators.Spc.Xmr(values, Polarity.HigherIsBetter, 31.0);
        var months = chart.Points.Select((p, i)
            => new SpcMonth(Period.MonthLabel(Period.MonthIndex(new DateOnly(2024, 2, 1)) + i), p.Value, p.Mean, p.LowerLimit,
                p.UpperLimit, p.LowerNear, p.UpperNear, p.State, Indicators.Spc.Names(p.Rules))).ToList();
        return new SpcReport("employment_rate", Polarity.HigherIsBetter, 31.0,
            [new SpcSeries("RXG01", "Leeds IPS service", chart.Variation, chart.Assurance, months)], Version);
    }
}
