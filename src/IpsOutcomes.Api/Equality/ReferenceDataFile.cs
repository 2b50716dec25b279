using System.Globalization;
using System.Text.RegularExpressions;
using CsvHelper;
using CsvHelper.Configuration;
using IpsOutcomes.Returns;

namespace IpsOutcomes.Equality;

/// <summary>A reference-data CSV (populations, access targets), read as leniently as a return and checked with the same findings.</summary>
public static partial class ReferenceDataFile
{
    [GeneratedRegex("^(20[0-9]{2})-([0-9]{2})$")]
    private static partial Regex FinancialYearPattern();

    public static bool IsFinancialYear(string text) =>
        FinancialYearPattern()
            .Match(text) is { Success: true } m
            && (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + 1) % 100 == int.Parse(m.Groups[2].Value,
            CultureInfo.InvariantCulture);

    /// <summary>Reads a small CSV body: encoding detected as for returns, header names matched loosely.</summary>
    public static async Task<(List<(int Line, Dictionary<string, string> Cells)>? Rows, FindingSink Findings)> ReadAsync(
        Stream body, string[] required, Dictionary<string, string> synonyms, CancellationToken ct)
    {
        var findings = new FindingSink(10_000);
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, ct);
        buffer.Position = 0;
        var scan = ReturnFile.Scan(buffer);
        if (scan.Unreadable is { } unreadable) { findings.Add(unreadable, null, null, null, null); return (null, findings); }
        if (scan.Bytes == 0) { findings.Add(Says.FileEmpty, null, null, null, null); return (null, findings); }
        buffer.Position = 0;
        using var reader = new StreamReader(buffer, scan.Encoding!);
        using var parser = new CsvParser(reader,
            new CsvConfiguration(CultureInfo.InvariantCulture) { BadDataFound = null, IgnoreBlankLines = false });
        string[]? header = null;
        var rows = new List<(int, Dictionary<string, string>)>();
        var line = 0;
        while (parser.Read())
        {
            line = parser.RawRow;
            var record = parser.Record ?? [];
            if (record.All(string.IsNullOrWhiteSpace)) continue;
            if (header is null)
            {
                header = record.Select(h => ReturnFormat.NormaliseHeader(h)).Select(h => synonyms.GetValueOrDefault(h, h)).ToArray();
                foreach (var column in required.Where(c => !header.Contains(ReturnFormat.NormaliseHeader(c))))
                    findings.Add(Says.MissingColumn, line, column, null, null, column);
                if (findings.Errors > 0) return (null, findings);
                continue;
            }
            var cells = new Dictionary<string, string>();
            for (var i = 0; i < header.Length && i < record.Length; i++) cells[header[i]] = record[i].Trim();
            rows.Add((line, cells));
        }
        if (header is null) { findings.Add(Says.NoHeader, null, null, null, null); return (null, findings); }
        return (rows, findings);
    }
}
