using System.Data.Common;
using Dapper;
using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Audit;

/// <summary>Append-only record of who did what. Written in the same transaction as the change it records.</summary>
public sealed class AuditLog(Database database, TimeProvider clock)
{
    internal static readonly Sql Insert = Sql.Portable("""
        INSERT INTO audit_log (occurred_at, key_id, key_name, action, target, detail, remote_address)
        VALUES (@OccurredAt, @KeyId, @KeyName, @Action, @Target, @Detail, @RemoteAddress)
        """);

    /// <summary>An entry that records a read (no change to write it beside): on a connection of its own.</summary>
    public async Task WriteAsync(Caller? caller, string action, string? target, string? detail, string? remoteAddress, CancellationToken cancellationToken)
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
            KeyName = caller?.KeyName,
            Action = action,
            Target = target,
            Detail = detail,
            RemoteAddress = remoteAddress,
        }, transaction);
}
