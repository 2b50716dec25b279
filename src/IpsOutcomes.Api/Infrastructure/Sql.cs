namespace IpsOutcomes.Infrastructure;

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
    public static string? JsonList(IEnumerable<string>? values) => values is null ? null
        : System.Text.Json.JsonSerializer.Serialize(values);

    [System.Text.RegularExpressions.GeneratedRegex(@"IN LIST\((?<name>@\w+)\)")]
    private static partial System.Text.RegularExpressions.Regex ListParameter();

    /// <summary>
    /// <paramref name="take"/> rows of a query that ends with its ORDER BY, after skipping <paramref name="skip"/>
    /// (parameters by default, or literals).
    /// </summary>
    public static Sql Page(string orderedQuery, string take = "@take", string skip = "@skip") =>
        new($"{orderedQuery}\nLIMIT {take} OFFSET {skip}", $"{orderedQuery}\nOFFSET {skip} ROWS FETCH NEXT {take} ROWS ONLY");
}
