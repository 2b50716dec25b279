using System.Data;
using System.Globalization;
using Dapper;
using Microsoft.Data.SqlClient;

namespace IpsOutcomes.Infrastructure;

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
