using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace IpsOutcomes.Infrastructure;

/// <summary>
/// A prepared SQLite statement for executing once per row of a large return, inside whatever transaction the
/// connection has open. Parameters are bound by name as the SQL text names them; each name is resolved to its
/// position once and remembered, where Microsoft.Data.Sqlite looks every name up on every execution. A value
/// bound once stays bound for every execution after, so what is the same for every row is bound before the loop.
/// Dates are bound as yyyy-MM-dd text, as everywhere else in the SQLite schema; <c>null</c> and a default date as NULL.
/// </summary>
public sealed partial class SqliteStatement : IDisposable
{
    private readonly sqlite3 db;
    private readonly sqlite3_stmt statement;
    private readonly nint dbHandle;
    private readonly nint handle;
    private readonly List<(string Name, int Index)> positions = [];
    private int cursor;

    public SqliteStatement(SqliteConnection connection, string sql)
    {
        db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(db, sql, out statement), db);
        dbHandle = db.DangerousGetHandle();
        handle = statement.DangerousGetHandle();
    }

    public SqliteStatement Bind(string name, string? value) =>
        Check(value is null ? Native.BindNull(handle, Position(name))
            : Native.BindText16(handle, Position(name), in MemoryMarshal.GetReference(MemoryMarshal.AsBytes(value.AsSpan())),
                value.Length * sizeof(char), Native.Transient));

    public SqliteStatement Bind(string name, long value) => Check(Native.BindInt64(handle, Position(name), value));

    public SqliteStatement Bind(string name, int? value) =>
        Check(value is { } v ? Native.BindInt64(handle, Position(name), v) : Native.BindNull(handle, Position(name)));

    public SqliteStatement Bind(string name, double? value) =>
        Check(value is { } v ? Native.BindDouble(handle, Position(name), v) : Native.BindNull(handle, Position(name)));

    public SqliteStatement Bind(string name, ReadOnlySpan<byte> value) =>
        Check(Native.BindBlob(handle, Position(name), in MemoryMarshal.GetReference(value), value.Length, Native.Transient));

    public SqliteStatement Bind(string name, DateOnly value)
    {
        if (value == default) return Check(Native.BindNull(handle, Position(name)));
        // yyyy-MM-dd written digit by digit: a large return binds millions of dates, and the general formatter is slow at it.
        value.Deconstruct(out var year, out var month, out var day);
        Span<byte> text = [(byte)('0' + year / 1000), (byte)('0' + year / 100 % 10), (byte)('0' + year / 10 % 10), (byte)('0' + year % 10),
            (byte)'-', (byte)('0' + month / 10), (byte)('0' + month % 10), (byte)'-', (byte)('0' + day / 10), (byte)('0' + day % 10)];
        return Check(Native.BindText(handle, Position(name), in text[0], text.Length, Native.Transient));
    }

    /// <summary>Runs the statement and answers how many rows it changed.</summary>
    public int Execute()
    {
        cursor = 0;
        var result = Native.Step(handle);
        var changes = Native.Changes(dbHandle);
        _ = Native.Reset(handle); // the step's own result says whether it failed
        if (result is not (raw.SQLITE_DONE or raw.SQLITE_ROW)) SqliteException.ThrowExceptionForRC(result, db);
        return changes;
    }

    private int Position(string name)
    {
        // Each execution binds the same names in the same order: compare references, not text, and look only at
        // the next one (or, after the names bound once before the loop, the few before it).
        if (cursor < positions.Count && ReferenceEquals(positions[cursor].Name, name)) return positions[cursor++].Index;
        for (var i = 0; i < positions.Count; i++)
        {
            if (!ReferenceEquals(positions[i].Name, name)) continue;
            cursor = i + 1;
            return positions[i].Index;
        }
        var index = raw.sqlite3_bind_parameter_index(statement, name);
        if (index == 0) throw new ArgumentException($"The statement has no parameter {name}.", nameof(name));
        positions.Add((name, index));
        cursor = positions.Count;
        return index;
    }

    private SqliteStatement Check(int result)
    {
        if (result != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(result, db);
        return this;
    }

    public void Dispose() => statement.Dispose();

    /// <summary>
    /// The library SQLitePCLRaw has loaded, called directly with the handles it holds: its own calls take and
    /// release each handle's reference count and convert every string to UTF-8 first, which a million rows of
    /// twenty parameters notice. Binding copies the value (SQLITE_TRANSIENT) and neither blocks nor calls back,
    /// so those calls skip the runtime's GC transition; stepping can take long and keeps it.
    /// </summary>
    private static partial class Native
    {
        private const string Library = "e_sqlite3";
        public static readonly nint Transient = -1;

        [LibraryImport(Library, EntryPoint = "sqlite3_bind_text"), SuppressGCTransition]
        public static partial int BindText(nint statement, int index, in byte utf8, int bytes, nint destructor);

        [LibraryImport(Library, EntryPoint = "sqlite3_bind_text16"), SuppressGCTransition]
        public static partial int BindText16(nint statement, int index, in byte utf16, int bytes, nint destructor);

        [LibraryImport(Library, EntryPoint = "sqlite3_bind_blob"), SuppressGCTransition]
        public static partial int BindBlob(nint statement, int index, in byte value, int bytes, nint destructor);

        [LibraryImport(Library, EntryPoint = "sqlite3_bind_int64"), SuppressGCTransition]
        public static partial int BindInt64(nint statement, int index, long value);

        [LibraryImport(Library, EntryPoint = "sqlite3_bind_double"), SuppressGCTransition]
        public static partial int BindDouble(nint statement, int index, double value);

        [LibraryImport(Library, EntryPoint = "sqlite3_bind_null"), SuppressGCTransition]
        public static partial int BindNull(nint statement, int index);

        [LibraryImport(Library, EntryPoint = "sqlite3_step")]
        public static partial int Step(nint statement);

        [LibraryImport(Library, EntryPoint = "sqlite3_changes"), SuppressGCTransition]
        public static partial int Changes(nint db);

        [LibraryImport(Library, EntryPoint = "sqlite3_reset"), SuppressGCTransition]
        public static partial int Reset(nint statement);
    }
}
