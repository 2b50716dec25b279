using System.Data.Common;
using Dapper;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace IpsOutcomes.Infrastructure;

public enum DatabaseProvider { Sqlite, SqlServer }

/// <summary>The one place that knows which database the service runs on.</summary>
public sealed class Database(DatabaseProvider provider, string connectionString)
{
    public DatabaseProvider Provider => provider;
    public string ConnectionString => connectionString;

    /// <summary>The statement's text in this database's dialect; a statement written for the other dialect only is a fault.</summary>
    public string this[Sql sql] => (provider == DatabaseProvider.Sqlite ? sql.Sqlite : sql.SqlServer)
        ?? throw new InvalidOperationException($"This statement has no {provider} text: it belongs to the other dialect's path.");

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        DbConnection connection = provider == DatabaseProvider.Sqlite
            ? new SqliteConnection(connectionString)
            : new SqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        if (provider == DatabaseProvider.Sqlite)
        {
            // Per-connection settings: WAL (set at start-up) makes NORMAL durable across process crashes;
            // secure_delete zeroes what is deleted, so a processed upload's bytes do not linger in free pages.
            // The rest undo what the submission job sets for storing a large return, should this pooled connection
            // have been its.
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; PRAGMA wal_autocheckpoint = 1000;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }
        return connection;
    }

    internal static readonly Sql AcquireLock = Sql.SqlServerOnly("""
        DECLARE @result int;
        EXEC @result = sp_getapplock @Resource = @resource, @LockMode = 'Exclusive', @LockOwner = @owner, @LockTimeout = @lockMilliseconds;
        SELECT @result;
        """);

    internal static readonly Sql ReleaseLock = Sql.SqlServerOnly("EXEC sp_releaseapplock @Resource = @resource, @LockOwner = 'Session';");

    /// <summary>
    /// Waits up to <paramref name="waitSeconds"/> for an exclusive lock on <paramref name="resource"/>, held until the
    /// transaction ends (or, with none, until <see cref="UnlockAsync"/>). On SQL Server several instances share the
    /// database, so they take turns; on SQLite one process writes, under SQLite's own lock, and there is nothing to take.
    /// </summary>
    public async Task LockAsync(DbConnection connection, DbTransaction? transaction, string resource, int waitSeconds,
        CancellationToken cancellationToken)
    {
        if (provider != DatabaseProvider.SqlServer) return;
        var result = await connection.ExecuteScalarAsync<int>(new CommandDefinition(this[AcquireLock],
            new { resource, owner = transaction is null ? "Session" : "Transaction", lockMilliseconds = waitSeconds * 1000 }, transaction,
            commandTimeout: waitSeconds + 60, cancellationToken: cancellationToken)); // the command outlives the wait for the lock
        if (result < 0) throw new InvalidOperationException($"Could not take the lock {resource} (sp_getapplock returned {result}).");
    }

    /// <summary>
    /// A transaction in which several reads see one state of the data, without waiting for the writer. On SQLite a deferred
    /// transaction: in WAL mode its first read fixes the state it sees, and it takes no write lock (Microsoft.Data.Sqlite begins
    /// a serializable one as BEGIN IMMEDIATE, which waits for the writer and holds up the next). On SQL Server, serializable.
    /// </summary>
    public async Task<DbTransaction> BeginConsistentReadAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (connection is SqliteConnection sqlite) return sqlite.BeginTransaction(deferred: true);
        return await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
    }

    public async Task UnlockAsync(DbConnection connection, string resource)
    {
        if (provider == DatabaseProvider.SqlServer) await connection.ExecuteAsync(this[ReleaseLock], new { resource });
    }

    /// <summary>
    /// Readies a connection for storing a large return in one transaction. SQLite checks every stored row's references
    /// one at a time, which tripled the time to store one; the job writes rows for a provider and submission it has
    /// just read, under the write lock, and deletes children by name, so it does without (<see cref="OpenAsync"/>
    /// turns the checks on again for the pooled connection's next use). Nor does its commit copy the write-ahead log
    /// into the database: the checkpoint after the commit does that, once the decision is visible.
    /// </summary>
    public async Task PrepareForBulkStoreAsync(DbConnection connection)
    {
        if (provider == DatabaseProvider.Sqlite) await connection.ExecuteAsync("PRAGMA foreign_keys = OFF; PRAGMA wal_autocheckpoint = 0;");
    }

    private const int SqliteConstraint = 19, SqliteConstraintUnique = 2067, SqliteConstraintPrimaryKey = 1555;
    private const int SqlServerDuplicateKeyInIndex = 2601, SqlServerDuplicateKeyInConstraint = 2627;

    /// <summary>A unique index or key refused the write (another request got there first).</summary>
    public static bool IsUniqueViolation(Exception exception) => exception switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == SqliteConstraint
            && sqlite.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey,
        SqlException sql => sql.Number is SqlServerDuplicateKeyInIndex or SqlServerDuplicateKeyInConstraint,
        _ => false,
    };

    /// <summary>
    /// After deleting something that must not be kept (a raw upload): on SQLite, copy the write-ahead log into
    /// the database and truncate it, so the deleted pages' old images leave the log file too. Best effort: a
    /// reader that is still open leaves the log for the next checkpoint.
    /// </summary>
    public async Task CheckpointAsync(CancellationToken cancellationToken = default)
    {
        if (provider != DatabaseProvider.Sqlite) return;
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE);");
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(Sql sql, object? parameters = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<T>(new CommandDefinition(this[sql], parameters, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    public async Task<T?> QuerySingleOrDefaultAsync<T>(Sql sql, object? parameters = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<T>(new CommandDefinition(this[sql], parameters,
            cancellationToken: cancellationToken));
    }

    public async Task<int> ExecuteAsync(Sql sql, object? parameters = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(this[sql], parameters, cancellationToken: cancellationToken));
    }
}
