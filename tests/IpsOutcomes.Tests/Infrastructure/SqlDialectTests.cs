using System.Reflection;
using IpsOutcomes.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace IpsOutcomes.Tests.Infrastructure;

/// <summary>
/// No SQL Server runs here, so the T-SQL is proved as far as it can be without one: every migration and every
/// query's SQL Server text must parse. The SQLite texts are compiled against a migrated database.
/// </summary>
public class SqlDialectTests
{
    public static TheoryData<string> SqlServerMigrations() =>
        new(Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "sql", "sqlserver"), "*.sql").Select(Path.GetFileName)!);

    public static IEnumerable<(string Name, Sql Sql)> AllQueries() =>
        typeof(Database).Assembly.GetTypes()
            .SelectMany(type => type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            .Where(field => field.FieldType == typeof(Sql))
            .Select(field => ($"{field.DeclaringType!.Name}.{field.Name}", (Sql)field.GetValue(null)!));

    private static IList<ParseError> ParseTSql(string text)
    {
        new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(text), out var errors);
        return errors;
    }

    [Theory]
    [MemberData(nameof(SqlServerMigrations))]
    public void EverySqlServerMigrationParses(string file)
    {
        var errors = ParseTSql(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "sql", "sqlserver", file)));
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{file}:{e.Line}:{e.Column} {e.Message}")));
    }

    [Fact]
    public void EveryQueryParsesAsTSql()
    {
        var queries = AllQueries().Where(q => q.Sql.SqlServer is { Length: > 0 }).ToList();
        Assert.True(queries.Count >= 20, $"only {queries.Count} queries found");
        var failures = queries
            .SelectMany(q => ParseTSql(q.Sql.SqlServer!).Select(e => $"{q.Name}:{e.Line}:{e.Column} {e.Message}"))
            .ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void TheParseCheckCatchesBrokenTSql()
    {
        Assert.NotEmpty(ParseTSql("SELECT * FROM t LIMIT 5"));
        Assert.NotEmpty(ParseTSql("INSERT INTO t (a) VALUES (@a) RETURNING id"));
    }

    [Fact]
    public void EveryQueryCompilesOnAMigratedSqliteDatabase()
    {
        using var app = new TestApp();
        _ = app.Server;
        using var connection = new SqliteConnection($"Data Source={Path.Combine(app.DataFolder, "ipsoutcomes.db")}");
        connection.Open();
        var failures = new List<string>();
        foreach (var (name, sql) in AllQueries().Where(q => q.Sql.Sqlite is { Length: > 0 }))
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql.Sqlite;
            try { command.Prepare(); }
            catch (SqliteException exception) { failures.Add($"{name}: {exception.Message}"); }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void BothDialectsHaveTheSameMigrations()
    {
        string[] Names(string dialect) => Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "sql", dialect), "*.sql")
            .Select(Path.GetFileName).Order().ToArray()!;
        Assert.Equal(Names("sqlite"), Names("sqlserver"));
    }

    [Fact]
    public void AStatementOfTheOtherDialectOnlyIsAFaultNotAnEmptyString()
    {
        var sqlite = new IpsOutcomes.Infrastructure.Database(IpsOutcomes.Infrastructure.DatabaseProvider.Sqlite, "Data Source=:memory:");
        Assert.Throws<InvalidOperationException>(() => sqlite[IpsOutcomes.Infrastructure.Sql.SqlServerOnly("SELECT 1")]);
        Assert.Equal("SELECT 1", sqlite[IpsOutcomes.Infrastructure.Sql.SqliteOnly("SELECT 1")]);
        var paged = IpsOutcomes.Infrastructure.Sql.Page("SELECT id FROM t ORDER BY id");
        Assert.EndsWith("LIMIT @take OFFSET @skip", paged.Sqlite);
        Assert.EndsWith("OFFSET @skip ROWS FETCH NEXT @take ROWS ONLY", paged.SqlServer);
    }
}
