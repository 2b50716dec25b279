using IpsOutcomes.Indicators;
using Microsoft.AspNetCore.Mvc;

namespace IpsOutcomes.Equality;

public sealed record EqualityReportView(string OrganisationCode, string OrganisationName, string OrganisationLevel, string PeriodType,
    string Breakdown, string Indicator, string ReferenceGroup, string Disclosure, long DataVersion, IReadOnlyList<EqualityPeriod> Periods);

/// <summary>The query string of a request for the equality report, as sent.</summary>
public sealed record EqualityRequest(
    [property: FromQuery(Name = "level")] string? Level,
    [property: FromQuery(Name = "code")] string? Code,
    [property: FromQuery(Name = "period_type")] string? PeriodType,
    [property: FromQuery(Name = "month")] string? Month,
    [property: FromQuery(Name = "from")] string? From,
    [property: FromQuery(Name = "to")] string? To,
    [property: FromQuery(Name = "breakdown")] string? Breakdown,
    [property: FromQuery(Name = "indicator")] string? Indicator,
    [property: FromQuery(Name = "reference_group")] string? ReferenceGroup,
    [property: FromQuery(Name = "disclosure")] string? Disclosure,
    [property: FromQuery(Name = "format")] string? Format);
