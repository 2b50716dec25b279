using System.Data;
using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace IpsOutcomes.Infrastructure;

public enum DatabaseProvider { Sqlite, SqlServer }

/// <summary>
/// A query in both dialects. Most queries are portable (<see cref="Portable"/>); where SQLite and
/// SQL Server differ, both texts stand side by side in the feature that runs them. A test parses every
/// <c>Sql</c> field's SQL Server text with ScriptDom.
/// </summary>
public sealed partial record Sql(string? Sqlite, string? SqlServer)
{
    public static Sql Portable(string text) => new(text, text);

    /// <summary>Statements that only SQL Server needs (locks, for example).</summary>
    public static Sql SqlServerOnly(string text) => new(null, text);

    /// <summary>Statements of a path that SQL Server takes differently (bulk copy instead of row upserts).</summary>
    public static Sql SqliteOnly(string text) => new(text, null);

    /// <summary>An INSERT that answers with the new row's id.</summary>
    public static Sql InsertReturningId(string insert) =>
        new($"{insert}\nSELECT last_insert_rowid();", $"{insert}\nSELECT CAST(SCOPE_IDENTITY() AS bigint);");

    /// <summary>
    /// This query with its list parameters: <c>IN LIST(@name)</c> stands for membership of a JSON array of values
    /// passed as <c>@name</c> (<see cref="JsonList"/>), read by each dialect's JSON table function. One parameter
    /// however long the list, so both dialects parse the text as written.
    /// </summary>
    public Sql WithList() => new(
        Sqlite is null ? null : ListParameter().Replace(Sqlite, "IN (SELECT value FROM json_each(${name}))"),
        SqlServer is null ? null : ListParameter().Replace(SqlServer, "IN (SELECT value FROM OPENJSON(${name}))"));

    /// <summary>The value of a list parameter (<see cref="WithList"/>): null for no filter at all.</summary>
    public static string? JsonList(IEnumerable<string>? values) => values is null ? null : System.Text.Json.JsonSerializer.Serialize(values);

    [System.Text.RegularExpressions.GeneratedRegex(@"IN LIST\((?<name>@\w+)\)")]
    private static partial System.Text.RegularExpressions.Regex ListParameter();

    /// <summary>
    /// <paramref name="take"/> rows of a query that ends with its ORDER BY, after skipping <paramref name="skip"/>
    /// (parameters by default, or literals).
    /// </summary>
    public static Sql Page(string orderedQuery, string take = "@take", string skip = "@skip") =>
        new($"{orderedQuery}\nLIMIT {take} OFFSET {skip}", $"{orderedQuery}\nOFFSET {skip} ROWS FETCH NEXT {take} ROWS ONLY");
}

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
    public async Task LockAsync(DbConnection connection, DbTransaction? transaction, string resource, int waitSeconds, CancellationToken cancellationToken)
    {
        if (provider != DatabaseProvider.SqlServer) return;
        var result = await connection.ExecuteScalarAsync<int>(new CommandDefinition(this[AcquireLock],
            new { resource, owner = transaction is null ? "Session" : "Transaction", lockMilliseconds = waitSeconds * 1000 }, transaction,
            commandTimeout: waitSeconds + 60, cancellationToken: cancellationToken)); // the command outlives the wait for the lock
        if (result < 0) throw new InvalidOperationException($"Could not take the lock {resource} (sp_getapplock returned {result}).");
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
        SqliteException sqlite => sqlite.SqliteErrorCode == SqliteConstraint && sqlite.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey,
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
        return await connection.QuerySingleOrDefaultAsync<T>(new CommandDefinition(this[sql], parameters, cancellationToken: cancellationToken));
    }

    public async Task<int> ExecuteAsync(Sql sql, object? parameters = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(this[sql], parameters, cancellationToken: cancellationToken));
    }
}

public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Required for SQL Server; for SQLite, defaults to a file in the data folder.</summary>
    public string? ConnectionString { get; set; }
}

public static class DatabaseSetup
{
    public static WebApplicationBuilder AddDatabase(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        var dataFolder = DataFolder.Resolve(builder.Configuration);
        var connectionString = options.Provider switch
        {
            DatabaseProvider.Sqlite => string.IsNullOrWhiteSpace(options.ConnectionString)
                ? new SqliteConnectionStringBuilder
                {
                    DataSource = Path.Combine(dataFolder, "ipsoutcomes.db"),
                    Pooling = true,
                    DefaultTimeout = 120, // a large return holds the write lock for some seconds
                }.ToString()
                : options.ConnectionString,
            _ => string.IsNullOrWhiteSpace(options.ConnectionString)
                ? throw new InvalidOperationException("Database:ConnectionString is required when Database:Provider is SqlServer.")
                : options.ConnectionString,
        };

        DapperTypeHandlers.Register();
        builder.Services.AddSingleton(new Database(options.Provider, connectionString));
        builder.Services.AddSingleton<MigrationState>();
        builder.Services.AddSingleton<DatabaseMigrator>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DatabaseMigrator>());
        return builder;
    }
}

/// <summary>
/// The embedded default keeps everything (the database, which also spools uploads, and the pseudonymisation secret) in one folder,
/// relative to the directory the service was started from.
/// </summary>
public static class DataFolder
{
    public static string Resolve(IConfiguration configuration)
    {
        var path = Path.GetFullPath(configuration["DataFolder"] ?? "data");
        Directory.CreateDirectory(path);
        return path;
    }
}

/// <summary>
/// SQLite has no date types: dates travel as yyyy-MM-dd text and timestamps as ISO-8601 text. These handlers
/// read both those and SQL Server's native types into the same CLR types.
/// </summary>
internal static class DapperTypeHandlers
{
    private static int registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 1) return;
        SqlMapper.AddTypeHandler(new DateOnlyHandler());
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
    }

    private sealed class DateOnlyHandler : SqlMapper.TypeHandler<DateOnly>
    {
        public override DateOnly Parse(object value) => value switch
        {
            string text => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            DateTime dateTime => DateOnly.FromDateTime(dateTime),
            DateOnly date => date,
            _ => throw new DataException($"Cannot read {value.GetType().Name} as a date."),
        };

        public override void SetValue(IDbDataParameter parameter, DateOnly value)
        {
            if (parameter is SqlParameter sql) { sql.SqlDbType = SqlDbType.Date; sql.Value = value.ToDateTime(TimeOnly.MinValue); }
            else parameter.Value = value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
    }

    private sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override DateTimeOffset Parse(object value) => value switch
        {
            string text => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            DateTime dateTime => new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)),
            DateTimeOffset offset => offset,
            _ => throw new DataException($"Cannot read {value.GetType().Name} as a timestamp."),
        };

        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            if (parameter is SqlParameter sql) { sql.SqlDbType = SqlDbType.DateTimeOffset; sql.Value = value.ToUniversalTime(); }
            // Fixed-width UTC text so that timestamps sort and compare as text in SQLite.
            else parameter.Value = value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        }
    }
}
