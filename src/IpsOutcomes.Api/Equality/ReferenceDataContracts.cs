using IpsOutcomes.Returns;
using Microsoft.AspNetCore.Mvc;

namespace IpsOutcomes.Equality;

public sealed record ReferencePopulation(string OrganisationCode, string FinancialYear, string GroupCode, long People);

public sealed record ReferenceLoad(string Verdict, int Rows, IReadOnlyList<Finding> Findings);

/// <summary>Which loaded populations to list.</summary>
public sealed record PopulationsRequest(
    [property: FromQuery(Name = "organisation")] string? Organisation,
    [property: FromQuery(Name = "financial_year")] string? FinancialYear);
