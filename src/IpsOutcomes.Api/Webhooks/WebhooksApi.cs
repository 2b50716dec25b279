using System.Security.Cryptography;
using Dapper;
using IpsOutcomes.Audit;
using IpsOutcomes.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IpsOutcomes.Webhooks;

public static class WebhooksApi
{
    private const string Columns = "id AS Id, icb_code AS IcbCode, url AS Url, created_at AS CreatedAt, deleted_at AS DeletedAt";

    internal static readonly Sql Insert = Sql.InsertReturningId("""
            INSERT INTO webhooks (icb_code, url, signing_secret, created_at, created_by_key_id) VALUES (@icb, @url, @secret, @now, @keyId);
        """);

    internal static readonly Sql SelectOne = Sql.Portable($"SELECT {Columns} FROM webhooks WHERE id = @id");

    internal static readonly Sql IcbExists = Sql.Portable("SELECT COUNT(*) FROM icbs WHERE code = @icb");

    internal static readonly Sql SelectMany = Sql.Portable($"SELECT {Columns} FROM webhooks WHERE (@icb IS NULL OR icb_code = @icb) ORDER BY id");

    internal static readonly Sql Delete = Sql.Portable("UPDATE webhooks SET deleted_at = @now WHERE id = @id AND deleted_at IS NULL");

    internal static readonly Sql SelectDeliveries = Sql.Page("""
        SELECT id AS Id, event_type AS EventType, status AS Status, attempts AS Attempts, last_attempt_at AS LastAttemptAt,
               last_status_code AS LastStatusCode, last_error AS LastError, created_at AS CreatedAt, delivered_at AS DeliveredAt, payload AS Payload
        FROM webhook_deliveries WHERE webhook_id = @id ORDER BY id DESC
        """, take: "200", skip: "0");

    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder api)
    {
        var webhooks = api.MapGroup("/webhooks").WithTags("Webhooks");
        webhooks.MapPost("/", Register).WithName("RegisterWebhook")
            .WithSummary("Register a URL for an ICB's events (return accepted, rejected, overdue); the signing secret is shown once");
        webhooks.MapGet("/", List).WithName("ListWebhooks").WithSummary("Webhooks this key may see");
        webhooks.MapDelete("/{id:long}", Remove).WithName("DeleteWebhook").WithSummary("Stop sending events to a webhook");
        webhooks.MapGet("/{id:long}/deliveries", Deliveries).WithName("ListWebhookDeliveries")
            .WithSummary("The latest 200 deliveries: status, attempts, the receiver's last answer");
        return api;
    }

    private static bool Manages(Caller caller, string icb) => caller.Role == Role.Admin || (caller.Role == Role.Icb && caller.OrganisationCode == icb);

    private static async Task<Results<Created<RegisteredWebhook>, ValidationProblem, ProblemHttpResult>> Register(
        WebhookRequest request, Caller caller, Database db, AuditLog audit, TimeProvider clock, IConfiguration configuration, HttpContext http,
        CancellationToken ct)
    {
        var icb = (request.IcbCode ?? caller.OrganisationCode)?.ToUpperInvariant();
        if (icb is null || caller.Role is not (Role.Icb or Role.Admin)) return Problems.Forbidden("Webhooks are registered by ICB keys (for their ICB) and admins.");
        if (!Manages(caller, icb)) return Problems.Forbidden($"This key may not register webhooks for {icb}.");
        if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") || request.Url.Length > 2000)
            return Problems.Invalid("url", "url is an absolute http or https address of at most 2,000 characters.");
        if (WebhookEgress.RefusalAtRegistration(url, configuration.GetValue("Webhooks:AllowPrivateAddresses", false)) is { } refusal)
            return Problems.Invalid("url", refusal);
        if (await db.QuerySingleOrDefaultAsync<long>(IcbExists, new { icb }, ct) == 0)
            return Problems.Invalid("icb_code", "That is not an ICB code.");

        var secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var id = await connection.ExecuteScalarAsync<long>(db[Insert], new { icb, url = url.ToString(), secret, now = clock.GetUtcNow(), keyId = caller.KeyId }, transaction);
        await audit.WriteAsync(connection, transaction, caller, "webhook.registered", $"webhook/{id}", $"icb={icb} url={url.GetLeftPart(UriPartial.Path)}",
            http.Connection.RemoteIpAddress?.ToString());
        await transaction.CommitAsync(ct);
        var view = (await db.QuerySingleOrDefaultAsync<WebhookView>(SelectOne, new { id }, ct))!;
        return TypedResults.Created($"/api/v1/webhooks/{id}", new RegisteredWebhook(view, secret));
    }

    private static async Task<Ok<IReadOnlyList<WebhookView>>> List(Caller caller, Database db, CancellationToken ct) =>
        TypedResults.Ok(caller.Role is Role.Admin or Role.Icb
            ? await db.QueryAsync<WebhookView>(SelectMany, new { icb = caller.Role == Role.Icb ? caller.OrganisationCode : null }, ct)
            : (IReadOnlyList<WebhookView>)[]);

    private static async Task<Results<NoContent, ProblemHttpResult>> Remove(long id, Caller caller, Database db, AuditLog audit, TimeProvider clock,
        HttpContext http, CancellationToken ct)
    {
        var webhook = await db.QuerySingleOrDefaultAsync<WebhookView>(SelectOne, new { id }, ct);
        if (webhook is null || !Manages(caller, webhook.IcbCode)) return Problems.NotFound($"There is no webhook {id} for this key.");
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (await connection.ExecuteAsync(db[Delete], new { id, now = clock.GetUtcNow() }, transaction) > 0)
            await audit.WriteAsync(connection, transaction, caller, "webhook.deleted", $"webhook/{id}", null, http.Connection.RemoteIpAddress?.ToString());
        await transaction.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<IReadOnlyList<DeliveryView>>, ProblemHttpResult>> Deliveries(long id, Caller caller, Database db, CancellationToken ct)
    {
        var webhook = await db.QuerySingleOrDefaultAsync<WebhookView>(SelectOne, new { id }, ct);
        if (webhook is null || !Manages(caller, webhook.IcbCode)) return Problems.NotFound($"There is no webhook {id} for this key.");
        return TypedResults.Ok(await db.QueryAsync<DeliveryView>(SelectDeliveries, new { id }, ct));
    }
}
