using System.Globalization;
using IpsOutcomes.Returns;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace IpsOutcomes.Infrastructure;

/// <summary>
/// A prepared SQLite statement for executing once per row of a large return, inside whatever transaction the
/// connection has open. Parameters are bound by name as the SQL text names them; each name is resolved to its
/// position on the first execution and remembered, where Microsoft.Data.Sqlite looks every name up every time.
/// Dates are bound as yyyy-MM-dd text, as everywhere else in the SQLite schema; <c>null</c> and a default date as NULL.
/// </summary>
public sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 db;
    private readonly sqlite3_stmt statement;
    private readonly List<(string Name, int Index)> positions = [];
    private int cursor;

    public SqliteStatement(SqliteConnection connection, string sql)
    {
        db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(db, sql, out statement), db);
    }

    public SqliteStatement Bind(string name, string? value) =>
        Check(value is null ? raw.sqlite3_bind_null(statement, Position(name)) : raw.sqlite3_bind_text(statement, Position(name), value));

    public SqliteStatement Bind(string name, long value) => Check(raw.sqlite3_bind_int64(statement, Position(name), value));

    public SqliteStatement Bind(string name, int? value) =>
        Check(value is { } v ? raw.sqlite3_bind_int64(statement, Position(name), v) : raw.sqlite3_bind_null(statement, Position(name)));

    public SqliteStatement Bind(string name, double? value) =>
        Check(value is { } v ? raw.sqlite3_bind_double(statement, Position(name), v) : raw.sqlite3_bind_null(statement, Position(name)));

    public SqliteStatement Bind(string name, in Key32 value) => Check(raw.sqlite3_bind_blob(statement, Position(name), value));

    public SqliteStatement Bind(string name, DateOnly value)
    {
        if (value == default) return Check(raw.sqlite3_bind_null(statement, Position(name)));
        Span<byte> text = stackalloc byte[10];
        value.TryFormat(text, out _, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return Check(raw.sqlite3_bind_text(statement, Position(name), text));
    }

    /// <summary>Runs the statement and answers how many rows it changed.</summary>
    public int Execute()
    {
        cursor = 0;
        var result = raw.sqlite3_step(statement);
        var changes = raw.sqlite3_changes(db);
        raw.sqlite3_reset(statement);
        if (result is not (raw.SQLITE_DONE or raw.SQLITE_ROW)) SqliteException.ThrowExceptionForRC(result, db);
        return changes;
    }

    private int Position(string name)
    {
        // The same statement binds the same names in the same order each time: compare references, not text.
        if (cursor < positions.Count && ReferenceEquals(positions[cursor].Name, name)) return positions[cursor++].Index;
        var index = raw.sqlite3_bind_parameter_index(statement, name);
        if (index == 0) throw new ArgumentException($"The statement has no parameter {name}.", nameof(name));
        if (cursor < positions.Count) positions[cursor] = (name, index); else positions.Add((name, index));
        cursor++;
        return index;
    }

    private SqliteStatement Check(int result)
    {
        if (result != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(result, db);
        return this;
    }

    public void Dispose() => statement.Dispose();
}
