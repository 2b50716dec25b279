using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CsvHelper;
using CsvHelper.Configuration;

namespace IpsOutcomes.Infrastructure;

/// <summary>
/// CSV for people with spreadsheets: UTF-8 with a BOM (so Excel reads £ and accents), CRLF, and any value
/// starting with = + - @ neutralised with a leading apostrophe so that a spreadsheet never runs it as a formula.
/// </summary>
public static class CsvOutput
{
    public const string ContentType = "text/csv; charset=utf-8";

    public static CsvWriter Writer(Stream body) =>
        new(new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 1 << 16, leaveOpen: true),
            new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\r\n", InjectionOptions = InjectionOptions.Escape });

    /// <summary>An enum member as the JSON answers name it (<c>HigherIsBetter</c> → <c>higher_is_better</c>, <c>Above95</c> →
    /// <c>above_95</c>), for CSV.</summary>
    public static string SnakeCase(Enum value) => Names.GetOrAdd(value, member =>
        member.GetType().GetField(member.ToString())?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
        ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(member.ToString()));

    // Named once per member: a CSV of thousands of rows names the same few members in every row.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Enum, string> Names = new();

    /// <summary>A report as one tidy table, the way its JSON names things: snake_case enums, numbers as JSON writes them, empty for
    /// null.</summary>
    public static byte[] Table(ITidy report)
    {
        var (columns, rows) = report.Tidy();
        using var buffer = new MemoryStream();
        using (var csv = Writer(buffer))
        {
            foreach (var column in columns) csv.WriteField(column);
            csv.NextRecord();
            foreach (var row in rows)
            {
                foreach (var cell in row) csv.WriteField(Cell(cell));
                csv.NextRecord();
            }
        }
        return buffer.ToArray();
    }

    private static string? Cell(object? value) => value switch
    {
        null => null,
        Enum member => SnakeCase(member),
        bool flag => flag ? "true" : "false",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    public static bool Wanted(HttpRequest request, string? format) =>
        string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)
        || (format is null && request.Headers.Accept.Any(a => a?.Contains("text/csv", StringComparison.OrdinalIgnoreCase) == true));
}

/// <summary>An enum in CSV as it is in JSON: snake_case (<c>higher_is_better</c>).</summary>
public sealed class SnakeCaseCsv<T> : CsvHelper.TypeConversion.DefaultTypeConverter where T : struct, Enum
{
    public override string? ConvertToString(object? value, IWriterRow row, MemberMapData memberMapData) =>
        value is T member ? CsvOutput.SnakeCase(member) : null;
}

/// <summary>A report that is also one tidy table (one row per observation), for its CSV form.</summary>
public interface ITidy
{
    (IReadOnlyList<string> Columns, IEnumerable<object?[]> Rows) Tidy();
}
