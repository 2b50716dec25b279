using IpsOutcomes.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IpsOutcomes.Audit;

/// <summary>Admins read the audit log; nothing in the API changes or deletes an entry.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder api)
    {
        api.MapGet("/audit", List).WithTags("Audit").RequireAuthorization(Caller.AdminPolicy).WithName("ListAuditEntries")
            .WithSummary("The audit log, newest first (admin): uploads, keys, reference data, webhooks, exact-figure requests");
        return api;
    }

    private static async Task<Results<Ok<AuditPage>,
        ValidationProblem>> List([AsParameters] AuditRequest request, AuditLog log, CancellationToken ct)
    {
        if (request.Page < 1 || request.PageSize is < 1 or > 1000) return Problems.Invalid("page", "page starts at 1; page_size is 1 to 1000.");
        var size = request.PageSize ?? 100;
        var number = request.Page ?? 1;
        var items = await log.PageAsync(request.Action, request.KeyId, request.UserId, request.From, request.To, number, size, ct);
        return TypedResults.Ok(new AuditPage(items, number, size));
    }
}
