using System.Globalization;
using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Indicators;

/// <summary>
/// The rows of one query at one data version, with their encodings made once: a BI refresh or a dashboard asking
/// again is answered with bytes already written (and already compressed, for clients that accept gzip).
/// </summary>
public sealed class IndicatorResult(long version, IReadOnlyList<Organisation> organisations, IReadOnlyList<IndicatorValue> rows,
    IReadOnlyDictionary<string, IReadOnlyDictionary<CellKey, long?>> cells)
{
    private readonly Dictionary<(bool Csv, bool Gzip), byte[]> encoded = [];

    public long Version => version;
    public IReadOnlyList<Organisation> Organisations => organisations;
    public IReadOnlyList<IndicatorValue> Rows => rows;

    /// <summary>A single organisation's cells as published (the equality report is built from these), by organisation code.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<CellKey, long?>> Cells => cells;

    /// <summary>
    /// Roughly what the result holds in memory at most, what the cache's byte budget counts: each row as an object
    /// (about 200 bytes) and in the encodings <see cref="Encoded"/> may add (JSON about 450, CSV about 200, each
    /// gzipped besides), and the published cells.
    /// </summary>
    public long EstimatedBytes => RowBytes * rows.Count + 64L * cells.Values.Sum(c => (long)c.Count);

    /// <summary>
    /// A row as an object (about 300 bytes, and about 200 more for each comparison and 150 for a trend), and, for a result
    /// small enough to keep its encodings, those too (JSON about 450 bytes, CSV about 200, each gzipped besides).
    /// </summary>
    private long RowBytes => rows.Count == 0 ? 0
        : 300 + 200L * (rows[0].Comparisons?.Count ?? 0) + (rows[0].Trend is null ? 0 : 150) + (rows.Count <= EncodingsKeptUpTo ? 700 : 0);

    /// <summary>A result of more rows is streamed as it is written (<see cref="WriteAsync"/>), its encodings never kept.</summary>
    public const int EncodingsKeptUpTo = 20_000;

    /// <summary>The rows written to <paramref name="body"/> as they are encoded, a buffer at a time: a large answer is never held
    /// whole.</summary>
    public async Task WriteAsync(Stream body, bool csv, bool gzip, System.Text.Json.JsonSerializerOptions json, CancellationToken ct)
    {
        await using var zip = gzip
            ? new System.IO.Compression.GZipStream(body, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true) : null;
        var target = zip ?? body;
        if (csv)
        {
            await using var writer = CsvOutput.Writer(target);
            await WriteCsvAsync(writer, rows, ct);
        }
        else await System.Text.Json.JsonSerializer.SerializeAsync(target, rows, json, ct);
    }

    public byte[] Encoded(bool csv, bool gzip, System.Text.Json.JsonSerializerOptions json)
    {
        lock (encoded)
        {
            if (encoded.TryGetValue((csv, gzip), out var bytes)) return bytes;
            if (gzip)
            {
                using var compressed = new MemoryStream();
                using (var zip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest))
                    zip.Write(Encoded(csv, false, json));
                bytes = compressed.ToArray();
            }
            else if (csv) bytes = CsvOf(rows);
            else bytes = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(rows, json);
            return encoded[(csv, gzip)] = bytes;
        }
    }

    public static readonly string[] CsvColumns =
    [
        "organisation_code", "organisation_name", "organisation_level", "period_type", "period", "period_start", "period_end",
        "indicator_id", "unit", "breakdown", "group", "numerator", "denominator", "value", "lower_ci", "upper_ci", "benchmark",
        "comparison", "suppressed", "data_version",
    ];

    public static byte[] CsvOf(IEnumerable<IndicatorValue> rows)
    {
        using var buffer = new MemoryStream();
        // A memory stream completes every write at once: nothing here waits.
        using (var writer = CsvOutput.Writer(buffer)) WriteCsvAsync(writer, rows, CancellationToken.None).GetAwaiter().GetResult();
        return buffer.ToArray();
    }

    /// <summary>Tidy CSV with stable columns; a suppressed figure is '*'. Each row is sent on as it ends, asynchronously.</summary>
    private static async Task WriteCsvAsync(CsvHelper.CsvWriter csv, IEnumerable<IndicatorValue> rows, CancellationToken ct)
    {
        // Comparators asked for add three columns each, in the order asked: still one tidy row per figure.
        var comparators = rows.FirstOrDefault()?.Comparisons?.Select(c => c.Comparator).ToList() ?? [];
        var trends = rows.Any(r => r.Trend is not null);
        var quartiles = rows.Any(r => r.Quartile is not null);
        foreach (var column in CsvColumns.Concat(comparators.SelectMany(c => new[] { $"{c}_code", $"{c}_value", $"{c}_outcome" }))
                     .Concat(trends ? ["trend", "trend_judgement", "trend_p_value"] : []).Concat(quartiles ? ["quartile"] : []))
            csv.WriteField(column);
        await csv.NextRecordAsync();
        foreach (var row in rows)
        {
            // '*' where a figure that applies to this unit was suppressed; empty where it does not apply.
            string Cell(double? value, bool applies) =>
                value is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) : applies && row.Suppressed ? "*" : "";
            var percent = row.Unit == Unit.Percent;
            csv.WriteField(row.OrganisationCode);
            csv.WriteField(row.OrganisationName);
            csv.WriteField(row.OrganisationLevel);
            csv.WriteField(row.PeriodType);
            csv.WriteField(row.Period);
            csv.WriteField(row.PeriodStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            csv.WriteField(row.PeriodEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            csv.WriteField(row.IndicatorId);
            csv.WriteField(row.Unit.ToString().ToLowerInvariant());
            csv.WriteField(row.Breakdown);
            csv.WriteField(row.Group);
            csv.WriteField(Cell(row.Numerator, percent));
            csv.WriteField(Cell(row.Denominator, row.Unit != Unit.Count));
            csv.WriteField(Cell(row.Value, true));
            csv.WriteField(Cell(row.LowerCi, percent));
            csv.WriteField(Cell(row.UpperCi, percent));
            csv.WriteField(Cell(row.Benchmark, false));
            csv.WriteField(row.Comparison?.ToString().ToLowerInvariant());
            csv.WriteField(row.Suppressed ? "true" : "false");
            csv.WriteField(row.DataVersion);
            foreach (var comparison in row.Comparisons ?? [])
            {
                csv.WriteField(comparison.Code);
                csv.WriteField(comparison.Value?.ToString("0.##", CultureInfo.InvariantCulture));
                csv.WriteField(CsvOutput.SnakeCase(comparison.Outcome));
            }
            if (trends)
            {
                csv.WriteField(row.Trend is { } t ? CsvOutput.SnakeCase(t.Direction) : null);
                csv.WriteField(row.Trend?.Judgement is { } j ? CsvOutput.SnakeCase(j) : null);
                csv.WriteField(row.Trend?.PValue?.ToString("0.####", CultureInfo.InvariantCulture));
            }
            if (quartiles) csv.WriteField(row.Quartile);
            await csv.NextRecordAsync();
            ct.ThrowIfCancellationRequested();
        }
    }
}
