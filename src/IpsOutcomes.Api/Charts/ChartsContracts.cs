using IpsOutcomes.Indicators;
using Microsoft.AspNetCore.Mvc;

namespace IpsOutcomes.Charts;

/// <summary>
/// The query string of a chart of indicator figures: the same parameters, with the same meaning, as the figures route
/// it draws (<c>/indicators</c>, <c>/indicators/funnel</c>, <c>/indicators/spc</c>), and the PNG's width in pixels.
/// </summary>
public sealed record ChartRequest(
    [property: FromQuery(Name = "level")] string? Level,
    [property: FromQuery(Name = "code")] string? Code,
    [property: FromQuery(Name = "within")] string? Within,
    [property: FromQuery(Name = "period_type")] string? PeriodType,
    [property: FromQuery(Name = "month")] string? Month,
    [property: FromQuery(Name = "from")] string? From,
    [property: FromQuery(Name = "to")] string? To,
    [property: FromQuery(Name = "indicators")] string? Indicators,
    [property: FromQuery(Name = "disclosure")] string? Disclosure,
    [property: FromQuery(Name = "width")] int? Width)
{
    public IndicatorRequest AsIndicatorRequest => new(Level, Code, Within, PeriodType, Month, From, To, Indicators, null, Disclosure, null);
}

/// <summary>The PNG's width, for a chart whose other parameters are its figures route's own (the equality report, completeness).</summary>
public sealed record ChartSize([property: FromQuery(Name = "width")] int? Width);
