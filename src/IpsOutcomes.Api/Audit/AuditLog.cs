using System.Data.Common;
using Dapper;
using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Audit;

/// <summary>Append-only record of who did what. Written in the same transaction as the change it records.</summary>
public sealed class AuditLog(Database database, TimeProvider clock)
{
    internal static readonly Sql Insert = Sql.Portable("""
        INSERT INTO audit_log (occurred_at, key_id, key_name, user_id, user_name, action, target, detail, remote_address)
        VALUES (@OccurredAt, @KeyId, @KeyName, @UserId, @UserName, @Action, @Target, @Detail, @RemoteAddress)
        """);

    private const string Filter = """
        FROM audit_log
        WHERE (@action IS NULL OR action = @action) AND (@keyId IS NULL OR key_id = @keyId)
          AND (@userId IS NULL OR user_id = @userId)
          AND (@from IS NULL OR occurred_at >= @from) AND (@to IS NULL OR occurred_at < @to)
        ORDER BY id DESC
        """;

    private const string Columns = """
        id AS Id, occurred_at AS OccurredAt, key_id AS KeyId, key_name AS KeyName, user_id AS UserId, user_name AS UserName,
        action AS Action, target AS Target,
        detail AS Detail, remote_address AS RemoteAddress
        """;

    internal static readonly Sql SelectPage = Sql.Page($"SELECT {Columns} {Filter}");

    /// <summary>A page of entries, newest first, of an action, a key or a person, between two days (inclusive).</summary>
    public Task<IReadOnlyList<AuditEntry>> PageAsync(string? action, long? keyId, long? userId, DateOnly? from, DateOnly? to, int page,
        int size, CancellationToken cancellationToken) =>
        database.QueryAsync<AuditEntry>(SelectPage, new
        {
            action,
            keyId,
            userId,
            from = from is { } f ? new DateTimeOffset(f.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : (DateTimeOffset?)null,
            to = to is { } t ? new DateTimeOffset(t.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : (DateTimeOffset?)null,
            take = size,
            skip = (page - 1) * size,
        }, cancellationToken);

    /// <summary>An entry that records a read (no change to write it beside): on a connection of its own.</summary>
    public async Task WriteAsync(Caller? caller, string action, string? target, string? detail, string? remoteAddress,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await WriteAsync(connection, null, caller, action, target, detail, remoteAddress);
    }

    public Task WriteAsync(DbConnection connection, DbTransaction? transaction, Caller? caller, string action,
        string? target, string? detail, string? remoteAddress) =>
        connection.ExecuteAsync(database[Insert], new
        {
            OccurredAt = clock.GetUtcNow(),
            KeyId = caller?.KeyId,
            KeyName = caller?.KeyId is null ? null : caller.Name,
            UserId = caller?.UserId,
            UserName = caller?.UserId is null ? null : caller.Name,
            Action = action,
            Target = target,
            Detail = detail,
            RemoteAddress = remoteAddress,
        }, transaction);
}
