using System.Globalization;
using System.Text;
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

    /// <summary>An enum member as the JSON answers name it (<c>HigherIsBetter</c> → <c>higher_is_better</c>), for CSV.</summary>
    public static string SnakeCase(Enum value) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

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
