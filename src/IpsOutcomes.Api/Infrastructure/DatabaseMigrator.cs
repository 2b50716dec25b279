using Dapper;
using DbUp;
using DbUp.Builder;
using DbUp.Engine;
using Microsoft.Data.SqlClient;

namespace IpsOutcomes.Infrastructure;

/// <summary>Set once the schema is current; readiness and the job server wait for it.</summary>
public sealed class MigrationState
{
    private readonly TaskCompletionSource completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public bool IsCompleted => completed.Task.IsCompletedSuccessfully;
    public Task Completed => completed.Task;
    internal void MarkCompleted() => completed.TrySetResult();
}

/// <summary>
/// Applies the forward-only scripts of sql/&lt;dialect&gt;/ (embedded in the assembly) with DbUp, which journals
/// each script in <c>schema_versions</c> and never runs one twice. Runs in <see cref="StartingAsync"/>, so before
/// the web server listens and before the job server starts.
/// </summary>
public sealed class DatabaseMigrator(Database database, MigrationState state, ILogger<DatabaseMigrator> logger)
    : StartupTask
{
    /// <summary>How long a starting instance waits for another one's migrations.</summary>
    private const int MigrationLockSeconds = 300;

    // Two instances starting at once against one SQL Server: the second waits here until the first has finished.
    private const string MigrationLock = "IpsOutcomes.Migrations";

    public override async Task StartingAsync(CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken);
    }

    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        if (state.IsCompleted) return;
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            // WAL lets readers keep reading the last committed data while a return is being stored.
            await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
            Upgrade(DeployChanges.To.SqliteDatabase(database.ConnectionString).JournalToSqliteTable("schema_versions"), "sqlite");
        }
        else
        {
            EnsureDatabase.For.SqlDatabase(database.ConnectionString);
            await using var connection = (SqlConnection)await database.OpenAsync(cancellationToken);
            await database.LockAsync(connection, null, MigrationLock, MigrationLockSeconds, cancellationToken);
            try
            {
                Upgrade(DeployChanges.To.SqlDatabase(database.ConnectionString).JournalToSqlTable("dbo", "schema_versions"), "sqlserver");
            }
            finally
            {
                await database.UnlockAsync(connection, MigrationLock);
            }
        }
        state.MarkCompleted();
    }

    private void Upgrade(UpgradeEngineBuilder builder, string dialect)
    {
        var prefix = $"IpsOutcomes.sql.{dialect}.";
        var engine = builder
            .WithScriptsEmbeddedInAssembly(typeof(DatabaseMigrator).Assembly, name => name.StartsWith(prefix, StringComparison.Ordinal))
            .WithTransactionPerScript()
            .LogToNowhere()
            .Build();
        var result = engine.PerformUpgrade();
        if (!result.Successful)
            throw new InvalidOperationException($"Migration {result.ErrorScript?.Name} failed.", result.Error);
        foreach (var script in result.Scripts)
            logger.LogInformation("Applied migration {Script}", script.Name[prefix.Length..]);
    }
}
