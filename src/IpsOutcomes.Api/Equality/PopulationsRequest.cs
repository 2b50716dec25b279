using Microsoft.AspNetCore.Mvc;

namespace IpsOutcomes.Equality;

/// <summary>Which loaded populations to list.</summary>
public sealed record PopulationsRequest(
    [property: FromQuery(Name = "organisation")] string? Organisation,
    [property: FromQuery(Name = "financial_year")] string? FinancialYear);
