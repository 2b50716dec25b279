using Dapper;

namespace IpsOutcomes.Infrastructure;

/// <summary>
/// The version of everything indicators are computed from: bumped, in the same transaction, whenever a return is
/// accepted or superseded and whenever providers or ICBs change. ETags and cached results are keyed on it.
/// On the embedded default every writer is this process, so the version is known here and read from the
/// database only after a change; on SQL Server, where other instances write too, it is read every time.
/// </summary>
public sealed class DataVersion(Database database)
{
    internal static readonly Sql Select = Sql.Portable("SELECT version FROM data_version WHERE id = 1");
    internal static readonly Sql Bump = Sql.Portable("UPDATE data_version SET version = version + 1 WHERE id = 1");

    private long known = -1;

    public event Action? Changed;

    public async ValueTask<long> CurrentAsync(CancellationToken cancellationToken)
    {
        var version = Interlocked.Read(ref known);
        if (version >= 0) return version;
        version = await database.QuerySingleOrDefaultAsync<long>(Select, null, cancellationToken);
        if (database.Provider == DatabaseProvider.Sqlite) Interlocked.CompareExchange(ref known, version, -1);
        return version;
    }

    /// <summary>Bumps the version inside the writer's transaction; call <see cref="Committed"/> once it commits.</summary>
    public Task BumpAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction) =>
        connection.ExecuteAsync(database[Bump], transaction: transaction);

    public void Committed()
    {
        Interlocked.Exchange(ref known, -1);
        Changed?.Invoke();
    }
}
