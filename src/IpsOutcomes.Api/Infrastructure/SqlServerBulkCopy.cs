using System.Data;
using System.Data.Common;
using Microsoft.Data.SqlClient;

namespace IpsOutcomes.Infrastructure;

/// <summary>
/// Many rows into a SQL Server table in one round trip, inside the caller's transaction: the SQL Server side of
/// the paths that SQLite takes row by row with a <see cref="SqliteStatement"/>. Columns are matched by name.
/// </summary>
public static class SqlServerBulkCopy
{
    public static DataTable Table(params (string Name, Type Type)[] columns)
    {
        var table = new DataTable();
        foreach (var (name, type) in columns) table.Columns.Add(name, type);
        return table;
    }

    public static async Task WriteAsync(DbConnection connection, DbTransaction transaction, string destination, DataTable rows,
        CancellationToken cancellationToken = default)
    {
        using var bulk = new SqlBulkCopy((SqlConnection)connection, SqlBulkCopyOptions.Default, (SqlTransaction)transaction)
        {
            DestinationTableName = destination,
            BulkCopyTimeout = 0,
        };
        foreach (DataColumn column in rows.Columns) bulk.ColumnMappings.Add(column.ColumnName, column.ColumnName);
        await bulk.WriteToServerAsync(rows, cancellationToken);
    }
}
