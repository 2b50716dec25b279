using Dapper;

namespace IpsOutcomes.Infrastructure;

/// <summary>
/// The version of everything indicators are computed from: bumped, in the same transaction, whenever a return is
/// accepted or superseded and whenever providers, ICBs or reference data change. ETags and cached results are
/// keyed on it. On the embedded default every writer is this process, so the version is known here and read from
/// the database only after a change; on SQL Server, where other instances write too, it is read every time.
/// A change to one provider's referrals is not shared: its version is recorded beside the provider's (accepted_data), so
/// an answer about other providers stays at the version it was (issue 27). Every other change is shared by every answer.
/// </summary>
public sealed class DataVersion(Database database)
{
    internal static readonly Sql Select = Sql.Portable("SELECT version FROM data_version WHERE id = 1");
    internal static readonly Sql SelectWithShared = Sql.Portable(
        "SELECT version AS Version, shared_version AS SharedVersion FROM data_version WHERE id = 1");
    internal static readonly Sql Bump = Sql.Portable("""
        UPDATE data_version
        SET version = version + 1, shared_version = CASE WHEN @shared = 1 THEN version + 1 ELSE shared_version END WHERE id = 1;
        SELECT version FROM data_version WHERE id = 1;
        """);

    // A client that has seen a change committed must never be answered from the version before it. So: while a
    // change is between its bump and the end of its commit, nobody trusts the remembered version; and a version
    // read from the database is remembered only if no change completed while it was being read.
    private long known = -1;
    private int pending;
    private long generation;

    public event Action? Changed;

    public async ValueTask<long> CurrentAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref pending) == 0 && Interlocked.Read(ref known) is var remembered and >= 0) return remembered;
        var before = Interlocked.Read(ref generation);
        var version = await database.QuerySingleOrDefaultAsync<long>(Select, null, cancellationToken);
        if (database.Provider == DatabaseProvider.Sqlite && Volatile.Read(ref pending) == 0 && Interlocked.Read(ref generation) == before)
            Interlocked.Exchange(ref known, version);
        return version;
    }

    /// <summary>
    /// Bumps the version inside the writer's transaction. Dispose the result once the transaction has committed
    /// (or failed): from then on every reader sees the new version. A change every answer shares moves the shared version
    /// too; a change to one provider's referrals instead gives its new version to <paramref name="recordBesideProvider"/>,
    /// which keeps it with them, in the same transaction.
    /// </summary>
    public async Task<IDisposable> BumpAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction,
        Func<long, Task>? recordBesideProvider = null)
    {
        Interlocked.Increment(ref pending);
        try
        {
            var version = await connection.ExecuteScalarAsync<long>(database[Bump], new { shared = recordBesideProvider is null },
                transaction);
            if (recordBesideProvider is not null) await recordBesideProvider(version);
            return new Change(this);
        }
        catch
        {
            Complete();
            throw;
        }
    }

    private void Complete()
    {
        Interlocked.Increment(ref generation);
        Interlocked.Exchange(ref known, -1);
        Interlocked.Decrement(ref pending);
    }

    private sealed class Change(DataVersion version) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 1) return;
            version.Complete();
            version.Changed?.Invoke();
        }
    }
}
