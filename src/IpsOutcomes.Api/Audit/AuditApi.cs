using IpsOutcomes.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IpsOutcomes.Audit;

/// <summary>Admins read the audit log; nothing in the API changes or deletes an entry.</summary>
public static class AuditApi
{
    private const string Filter = """
        FROM audit_log
        WHERE (@action IS NULL OR action = @action) AND (@keyId IS NULL OR key_id = @keyId)
          AND (@from IS NULL OR occurred_at >= @from) AND (@to IS NULL OR occurred_at < @to)
        ORDER BY id DESC
        """;

    private const string Columns = """
        id AS Id, occurred_at AS OccurredAt, key_id AS KeyId, key_name AS KeyName, action AS Action, target AS Target,
        detail AS Detail, remote_address AS RemoteAddress
        """;

    internal static readonly Sql SelectPage = Sql.Page($"SELECT {Columns} {Filter}");

    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder api)
    {
        api.MapGet("/audit", List).WithTags("Audit").RequireAuthorization(Caller.AdminPolicy).WithName("ListAuditEntries")
            .WithSummary("The audit log, newest first (admin): uploads, keys, reference data, webhooks, exact-figure requests");
        return api;
    }

    private static async Task<Results<Ok<AuditPage>, ValidationProblem>> List([AsParameters] AuditRequest request, Database database, CancellationToken ct)
    {
        if (request.Page < 1 || request.PageSize is < 1 or > 1000) return Problems.Invalid("page", "page starts at 1; page_size is 1 to 1000.");
        var size = request.PageSize ?? 100;
        var number = request.Page ?? 1;
        var items = await database.QueryAsync<AuditEntry>(SelectPage, new
        {
            action = request.Action,
            keyId = request.KeyId,
            from = request.From is { } f ? new DateTimeOffset(f.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : (DateTimeOffset?)null,
            to = request.To is { } t ? new DateTimeOffset(t.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : (DateTimeOffset?)null,
            take = size,
            skip = (number - 1) * size,
        }, ct);
        return TypedResults.Ok(new AuditPage(items, number, size));
    }
}
