using System.Data.Common;
using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Audit;

/// <summary>
/// A change to what figures are worked out from (organisations, reference data, a quality-mark start): written, audited
/// and the data version moved, in one transaction, so that no cached answer outlives it and no change goes unrecorded.
/// </summary>
public sealed class AuditedChanges(Database database, AuditLog audit, DataVersion version, TimeProvider clock)
{
    /// <summary>Runs <paramref name="write"/> (given the time of the change) and records it; nothing is kept if it answers false.</summary>
    /// <returns>Whether the change was committed.</returns>
    public async Task<bool> WriteAsync(Caller caller, string action, string target, string? detail, HttpContext http,
        Func<DbConnection, DbTransaction, DateTimeOffset, Task<bool>> write, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (!await write(connection, transaction, clock.GetUtcNow())) return false;
        await audit.WriteAsync(connection, transaction, caller, action, target, detail, http.Connection.RemoteIpAddress?.ToString());
        using (await version.BumpAsync(connection, transaction)) await transaction.CommitAsync(ct);
        return true;
    }

    /// <inheritdoc cref="WriteAsync(Caller, string, string, string?, HttpContext, Func{DbConnection, DbTransaction, DateTimeOffset,
    /// Task{bool}}, CancellationToken)"/>
    public Task WriteAsync(Caller caller, string action, string target, string? detail, HttpContext http,
        Func<DbConnection, DbTransaction, DateTimeOffset, Task> write, CancellationToken ct) =>
        WriteAsync(caller, action, target, detail, http, async (connection, transaction, now) =>
        {
            await write(connection, transaction, now);
            return true;
        }, ct);
}
