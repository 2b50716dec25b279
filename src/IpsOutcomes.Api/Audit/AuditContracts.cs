using Microsoft.AspNetCore.Mvc;

namespace IpsOutcomes.Audit;

/// <summary>The audit log's filters and page, as the query string gives them.</summary>
public sealed record AuditRequest(
    [property: FromQuery(Name = "action")] string? Action,
    [property: FromQuery(Name = "key_id")] long? KeyId,
    [property: FromQuery(Name = "user_id")] long? UserId,
    [property: FromQuery(Name = "from")] DateOnly? From,
    [property: FromQuery(Name = "to")] DateOnly? To,
    [property: FromQuery(Name = "page")] int? Page,
    [property: FromQuery(Name = "page_size")] int? PageSize);

public sealed record AuditEntry
{
    public long Id { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public long? KeyId { get; init; }
    public string? KeyName { get; init; }

    /// <summary>The person, where the entry was made in a page session signed in through an identity provider.</summary>
    public long? UserId { get; init; }
    public string? UserName { get; init; }
    public string Action { get; init; } = "";
    public string? Target { get; init; }
    public string? Detail { get; init; }
    public string? RemoteAddress { get; init; }
}

public sealed record AuditPage(IReadOnlyList<AuditEntry> Items, int Page, int PageSize);
