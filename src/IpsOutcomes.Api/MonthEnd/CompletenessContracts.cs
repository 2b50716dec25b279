using Microsoft.AspNetCore.Mvc;

namespace IpsOutcomes.MonthEnd;

public sealed record CompletenessReport(string Scope, int DueDay, IReadOnlyList<ReportingRate> Rates, ReportingRate Overall,
    IReadOnlyList<ProviderCompleteness> Providers, long DataVersion);

/// <summary>The query string of a completeness request, as sent.</summary>
public sealed record CompletenessRequest(
    [property: FromQuery(Name = "icb")] string? Icb,
    [property: FromQuery(Name = "month")] string? Month,
    [property: FromQuery(Name = "from")] string? From,
    [property: FromQuery(Name = "to")] string? To,
    [property: FromQuery(Name = "format")] string? Format,
    [property: FromQuery(Name = "view")] string? View);
