using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Indicators;

/// <summary>
/// What an SPC request takes beside the indicator query: months to re-base at, points to fix the limits after, a target,
/// and whether to screen outlying moving ranges out of the limits (true, NHSRplotthedots' default, or false).
/// </summary>
/// <summary>The spine's query string.</summary>
public sealed record SpineRequest(
    [property: Microsoft.AspNetCore.Mvc.FromQuery(Name = "level")] string? Level,
    [property: Microsoft.AspNetCore.Mvc.FromQuery(Name = "code")] string? Code,
    [property: Microsoft.AspNetCore.Mvc.FromQuery(Name = "month")] string? Month,
    [property: Microsoft.AspNetCore.Mvc.FromQuery(Name = "disclosure")] string? Disclosure,
    [property: Microsoft.AspNetCore.Mvc.FromQuery(Name = "format")] string? Format = null,
    [property: Microsoft.AspNetCore.Mvc.FromQuery(Name = "screen_outliers")] string? ScreenOutliers = null);

public sealed record SpcRequest(
    [property: Microsoft.AspNetCore.Mvc.FromQuery(Name = "rebase")] string? Rebase,
    [property: Microsoft.AspNetCore.Mvc.FromQuery(Name = "fix_after")] int? FixAfter,
    [property: Microsoft.AspNetCore.Mvc.FromQuery(Name = "target")] double? Target,
    [property: Microsoft.AspNetCore.Mvc.FromQuery(Name = "screen_outliers")] string? ScreenOutliers = null)
{
    /// <summary>Whether <c>screen_outliers</c> asks for screening: true (or not given) or false; anything else is an error in <paramref
    /// name="errors"/>.</summary>
    public static bool Screens(string? screenOutliers, Dictionary<string, string[]> errors)
    {
        if (screenOutliers is not (null or "true" or "false")) errors["screen_outliers"] = ["screen_outliers is true (the default) or false."];
        return screenOutliers != "false";
    }
}

/// <summary>One organisation in a funnel plot: its published counts and proportion, where it sits, and its quartile.</summary>
public sealed record FunnelPoint(string Code, string Name, long? Numerator, long? Denominator, double? Value, FunnelPosition? Position,
    int? Quartile);

/// <summary>The funnel's limits at one denominator, in percent.</summary>
public sealed record FunnelLimitPoint(long Denominator, double Lower95, double Upper95, double Lower998, double Upper998)
{
    /// <summary>The limits around <paramref name="centre"/> (a proportion, 0–1) at <paramref name="n"/>, in percent to two
    /// places.</summary>
    public static FunnelLimitPoint At(double centre, long n)
    {
        var limits = Fingertips.Funnel(centre, n);
        static double Percent(double p) => Math.Round(p * 100, 2);
        return new(n, Percent(limits.Lower95), Percent(limits.Upper95), Percent(limits.Lower998), Percent(limits.Upper998));
    }
}

/// <summary>
/// A funnel plot's data: every peer's point, England's proportion as the centre line, the limit curves over the
/// range of denominators, and the peers' quartiles (Excel's QUARTILE.INC). Peers with a hidden value are in neither.
/// As CSV, one row per peer with the limits at its own denominator, which is what a BI tool plots against.
/// </summary>
public sealed record FunnelReport(string Indicator, string Level, string PeriodType, string Period, string Comparator,
    double? ComparatorValue, Quartiles? Quartiles, IReadOnlyList<FunnelPoint> Points, IReadOnlyList<FunnelLimitPoint> Limits,
        long DataVersion) : ITidy
{
    public (IReadOnlyList<string> Columns, IEnumerable<object?[]> Rows) Tidy() => (
        ["indicator", "level", "period_type", "period", "code", "name", "numerator", "denominator", "value", "position", "quartile",
         "comparator", "comparator_value", "lower_95", "upper_95", "lower_998", "upper_998", "q1", "median", "q3", "data_version"],
        Points.Select(p =>
        {
            var limits = ComparatorValue is { } centre && p.Denominator is { } n and > 0 ? FunnelLimitPoint.At(centre / 100, n) : null;
            return new object?[]
            {
                Indicator, Level, PeriodType, Period, p.Code, p.Name, p.Numerator, p.Denominator, p.Value, p.Position, p.Quartile,
                Comparator, ComparatorValue, limits?.Lower95, limits?.Upper95, limits?.Lower998, limits?.Upper998,
                Quartiles?.Q1, Quartiles?.Median, Quartiles?.Q3, DataVersion,
            };
        }));
}

/// <summary>One month of an SPC chart: its value (null for a gap), the segment's mean and limits, and its reading.</summary>
public sealed record SpcMonth(string Period, double? Value, double? Mean, double? LowerLimit, double? UpperLimit, double? LowerNear,
    double? UpperNear, PointState? State, IReadOnlyList<string> Rules);

/// <summary>One organisation's XmR chart, with the icons a board paper shows: the latest point's variation and the assurance against the
/// target.</summary>
public sealed record SpcSeries(string OrganisationCode, string OrganisationName, PointState? Variation, Assurance? Assurance,
    IReadOnlyList<SpcMonth> Months);

/// <summary>SPC charts for one indicator. As CSV, one row per organisation and month; a month's rules are separated by
/// semicolons.</summary>
public sealed record SpcReport(string Indicator, Polarity Polarity, double? Target, IReadOnlyList<SpcSeries> Series, long DataVersion)
    : ITidy
{
    public (IReadOnlyList<string> Columns, IEnumerable<object?[]> Rows) Tidy() => (
        ["indicator", "polarity", "target", "organisation_code", "organisation_name", "variation", "assurance",
         "period", "value", "mean", "lower_limit", "upper_limit", "lower_near", "upper_near", "state", "rules", "data_version"],
        Series.SelectMany(s => s.Months.Select(m => new object?[]
        {
            Indicator, Polarity, Target, s.OrganisationCode, s.OrganisationName, s.Variation, s.Assurance,
            m.Period, m.Value, m.Mean, m.LowerLimit, m.UpperLimit, m.LowerNear, m.UpperNear, m.State, string.Join(';', m.Rules),
                DataVersion,
        })));
}

/// <summary>One indicator on an organisation's spine: its latest rolling year, against its comparators and peers, its trend and its SPC
/// reading.</summary>
public sealed record SpineEntry(string Indicator, string Name, Unit Unit, Polarity Polarity, double? Value, double? LowerCi,
    double? UpperCi, bool Suppressed, IReadOnlyList<ComparatorOutcome> Comparisons, int? Quartile, TrendTest? Trend, PointState? Variation,
        Assurance? Assurance);

/// <summary>
/// Everything a dashboard tile or a board paper needs about one organisation, in one answer. As CSV, one row per
/// indicator, with three columns per comparator (<c>england_code</c>, <c>england_value</c>, <c>england_outcome</c>).
/// </summary>
public sealed record SpineReport(string OrganisationCode, string OrganisationName, string OrganisationLevel, string Period,
    long DataVersion, IReadOnlyList<SpineEntry> Indicators) : ITidy
{
    public (IReadOnlyList<string> Columns, IEnumerable<object?[]> Rows) Tidy()
    {
        // Every entry of a spine is compared with the same comparators, in the same order.
        var comparators = Indicators.FirstOrDefault()?.Comparisons.Select(c => c.Comparator).ToList() ?? [];
        string[] columns =
        [
            "organisation_code", "organisation_name", "organisation_level", "period", "indicator", "name", "unit", "polarity",
            "value", "lower_ci", "upper_ci", "suppressed", "quartile", "trend_direction", "trend_judgement", "trend_p_value",
            "variation", "assurance", "data_version",
            .. comparators.SelectMany(c => new[] { $"{c}_code", $"{c}_value", $"{c}_outcome" }),
        ];
        return (columns, Indicators.Select(e => (object?[])
        [
            OrganisationCode, OrganisationName, OrganisationLevel, Period, e.Indicator, e.Name, e.Unit, e.Polarity,
            e.Value, e.LowerCi, e.UpperCi, e.Suppressed, e.Quartile, e.Trend?.Direction, e.Trend?.Judgement, e.Trend?.PValue,
            e.Variation, e.Assurance, DataVersion,
            .. e.Comparisons.SelectMany(c => new object?[] { c.Code, c.Value, c.Outcome }),
        ]));
    }
}
