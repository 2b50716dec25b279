using Dapper;
using IpsOutcomes.Audit;
using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Webhooks;

/// <summary>The webhooks ICBs register and what was delivered to them; each registration and removal audited with it.</summary>
public sealed class WebhookStore(Database database, AuditLog audit, TimeProvider clock)
{
    private const string Columns = "id AS Id, icb_code AS IcbCode, url AS Url, created_at AS CreatedAt, deleted_at AS DeletedAt";

    internal static readonly Sql Insert = Sql.InsertReturningId("""
            INSERT INTO webhooks (icb_code, url, signing_secret, created_at, created_by_key_id) VALUES (@icb, @url, @secret, @now, @keyId);
        """);

    internal static readonly Sql SelectOne = Sql.Portable($"SELECT {Columns} FROM webhooks WHERE id = @id");

    internal static readonly Sql SelectMany = Sql.Portable($"SELECT {Columns} FROM webhooks WHERE (@icb IS NULL OR icb_code = @icb) ORDER BY id");

    internal static readonly Sql Delete = Sql.Portable("UPDATE webhooks SET deleted_at = @now WHERE id = @id AND deleted_at IS NULL");

    internal static readonly Sql SelectDeliveries = Sql.Page("""
        SELECT id AS Id, event_type AS EventType, status AS Status, attempts AS Attempts, last_attempt_at AS LastAttemptAt,
               last_status_code AS LastStatusCode, last_error AS LastError, created_at AS CreatedAt, delivered_at AS DeliveredAt, payload AS Payload
        FROM webhook_deliveries WHERE webhook_id = @id ORDER BY id DESC
        """, take: "200", skip: "0");

    /// <summary>Registers the address for the ICB's events, audited, and answers the registration as stored.</summary>
    public async Task<WebhookView> RegisterAsync(string icb, Uri url, string secret, Caller caller, string? address, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var id = await connection.ExecuteScalarAsync<long>(database[Insert],
            new { icb, url = url.ToString(), secret, now = clock.GetUtcNow(), keyId = caller.KeyId }, transaction);
        await audit.WriteAsync(connection, transaction, caller, "webhook.registered", $"webhook/{id}",
            $"icb={icb} url={url.GetLeftPart(UriPartial.Path)}", address);
        await transaction.CommitAsync(ct);
        return (await FindAsync(id, ct))!;
    }

    public Task<WebhookView?> FindAsync(long id, CancellationToken ct)
        => database.QuerySingleOrDefaultAsync<WebhookView>(SelectOne, new { id }, ct);

    /// <summary>The webhooks of one ICB, or of every ICB with null.</summary>
    public Task<IReadOnlyList<WebhookView>> ListAsync(string? icb, CancellationToken ct) =>
        database.QueryAsync<WebhookView>(SelectMany, new { icb }, ct);

    /// <summary>Stops sending events to the webhook; audited if it was still registered.</summary>
    public async Task RemoveAsync(long id, Caller caller, string? address, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (await connection.ExecuteAsync(database[Delete], new { id, now = clock.GetUtcNow() }, transaction) > 0)
            await audit.WriteAsync(connection, transaction, caller, "webhook.deleted", $"webhook/{id}", null, address);
        await transaction.CommitAsync(ct);
    }

    public Task<IReadOnlyList<DeliveryView>> DeliveriesAsync(long id, CancellationToken ct) =>
        database.QueryAsync<DeliveryView>(SelectDeliveries, new { id }, ct);
}
