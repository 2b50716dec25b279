namespace IpsOutcomes.Infrastructure;

public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Required for SQL Server; for SQLite, defaults to a file in the data folder.</summary>
    public string? ConnectionString { get; set; }
}
