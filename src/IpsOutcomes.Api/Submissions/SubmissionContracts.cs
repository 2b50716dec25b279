using IpsOutcomes.Returns;
using Microsoft.AspNetCore.Mvc;

namespace IpsOutcomes.Submissions;

/// <summary>The submissions list's filters and page, as the query string gives them.</summary>
public sealed record SubmissionListRequest(
    [property: FromQuery(Name = "provider")] string? Provider,
    [property: FromQuery(Name = "period")] string? Period,
    [property: FromQuery(Name = "status")] string? Status,
    [property: FromQuery(Name = "page")] int? Page,
    [property: FromQuery(Name = "page_size")] int? PageSize);

/// <summary>A page of a submission's findings, or all of them as CSV.</summary>
public sealed record FindingsRequest(
    [property: FromQuery(Name = "page")] int? Page,
    [property: FromQuery(Name = "page_size")] int? PageSize,
    [property: FromQuery(Name = "format")] string? Format);

public sealed record DryRunResult(string ProviderCode, string Period, string Verdict, int RowCount, int ErrorCount, int WarningCount,
    IReadOnlyList<Finding> Findings);
