using System.Globalization;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using IpsOutcomes.Organisations;

namespace IpsOutcomes.Fidelity;

/// <summary>A review as checked: every item scored once, 1 to 5; its total and band computed, never entered; and the ICB told of
/// it.</summary>
public sealed record ReviewDraft(string ProviderCode, string IcbCode, DateOnly ReviewDate, string Kind, string? Reviewer, string? Notes,
    IReadOnlyDictionary<string, int> Scores)
{
    public int Total => Scores.Values.Sum();
    public FidelityBand Band => FidelityScale.BandOf(Total);
}

/// <summary>What is wrong with a review, where: a rule code, the line (CSV; the header is line 1) and the column or field.</summary>
public sealed record ReviewFinding(string Code, int? Line, string? Column, string? Value, string Message);

/// <summary>What a review may be checked against: the provider as registered, whether the key may record it, and today.</summary>
public sealed record ReviewContext(Func<string, Provider?> Provider, Func<Provider, string, string?> Refusal, DateOnly Today);

/// <summary>
/// The checks of fidelity-and-quality-mark.md, as pure functions over a JSON review or a CSV of many: every finding
/// with its code and place; a file with any finding stores nothing.
/// </summary>
public static class ReviewChecks
{
    public const string ProviderUnknown = "FR01", DateInvalid = "FR02", DateInFuture = "FR03", DateBeforeActive = "FR04", KindInvalid = "FR05",
        ItemMissing = "FR06", ItemRepeated = "FR07", ScoreInvalid = "FR08", ColumnUnknown = "FR09", ReviewRepeated = "FR10", TextTooLong = "FR11",
        FileUnreadable = "FR12";

    private static readonly string[] Fixed = ["provider_code", "review_date", "kind", "reviewer", "notes"];

    /// <summary>The columns a file of reviews must have (notes may be left out).</summary>
    private static readonly string[] Required = ["provider_code", "review_date", "kind", "reviewer"];

    /// <summary>One review sent as JSON for a provider named by the address.</summary>
    public static (ReviewDraft? Review, List<ReviewFinding> Findings) Json(string providerCode, JsonElement body, ReviewContext context)
    {
        var findings = new List<ReviewFinding>();
        if (body.ValueKind != JsonValueKind.Object)
            return (null, [new(FileUnreadable, null, null, null, "A review is a JSON object: review_date, kind, reviewer, notes and scores.")]);
        string? Text(string name) => body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var scores = new List<(string Item, string Raw)>();
        if (!body.TryGetProperty("scores", out var given) || given.ValueKind != JsonValueKind.Object)
            findings.Add(new(ItemMissing, null, "scores", null, "scores is an object of the 25 items, each scored 1 to 5: {\"S1\": 4, \"S2\": 5, ...}."));
        else
            // Enumerated property by property, so that an item given twice is seen, not silently overwritten.
            foreach (var property in given.EnumerateObject()) scores.Add((property.Name, property.Value.GetRawText()));
        var review = Check(providerCode, Text("review_date"), Text("kind"), Text("reviewer"), Text("notes"), scores, null, context, findings);
        return (findings.Count == 0 ? review : null, findings);
    }

    /// <summary>Many reviews as CSV: provider_code, review_date, kind, reviewer, notes (optional), S1 ... V14.</summary>
    public static (IReadOnlyList<ReviewDraft> Reviews, List<ReviewFinding> Findings) Csv(TextReader text, ReviewContext context)
    {
        var findings = new List<ReviewFinding>();
        var reviews = new List<ReviewDraft>();
        using var csv = new CsvReader(text,
            new CsvConfiguration(CultureInfo.InvariantCulture) { DetectDelimiter = false, BadDataFound = null });
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { } header)
            return ([], [new(FileUnreadable, 1, null, null, "The file is empty: it needs a header row, then one row per review.")]);
        var columns = header.Select(h => h.Trim()).ToArray();
        foreach (var (column, i) in columns.Select((c, i) => (c, i)))
        {
            if (!Fixed.Contains(column) && !FidelityScale.Codes.Contains(column))
                findings.Add(new(ColumnUnknown, 1, column, null, $"'{column}' is not a column of a fidelity review: provider_code, review_date, kind, reviewer, notes, then the 25 items S1 to V14."));
            else if (Array.IndexOf(columns, column) != i)
                findings.Add(new(FidelityScale.Codes.Contains(column) ? ItemRepeated : ColumnUnknown, 1, column, null, $"The column {column} is given twice."));
        }
        foreach (var required in Required.Where(c => !columns.Contains(c)))
            findings.Add(new(ColumnUnknown, 1, required, null, $"The header has no {required} column."));
        foreach (var item in FidelityScale.Items.Where(i => !columns.Contains(i.Code)))
            findings.Add(new(ItemMissing, 1, item.Code, null, $"The header has no column for item {item.Code} ({item.Name})."));
        if (findings.Count > 0) return ([], findings);

        var seen = new Dictionary<(string, DateOnly, string), int>();
        while (csv.Read())
        {
            var line = csv.Parser.Row;
            if (csv.Parser.Count != columns.Length)
            {
                findings.Add(new(FileUnreadable, line, null, null,
                    $"Line {line} has {csv.Parser.Count} fields where the header has {columns.Length}: every row has a field for every column, empty where there is nothing to say."));
                continue;
            }
            // reviewer and notes may be left out of the header altogether.
            string? Field(string name) => Array.IndexOf(columns, name) is >= 0 and var i && csv.Parser[i] is { Length: > 0 } v ? v.Trim()
                : null;
            var provider = Field("provider_code") ?? "";
            var scores = FidelityScale.Items.Select(i => (i.Code, Field(i.Code) ?? "")).ToList();
            var review = Check(provider, Field("review_date"), Field("kind"), Field("reviewer"), columns.Contains("notes") ? Field("notes") : null,
                scores, line, context, findings);
            if (review is null) continue;
            var key = (review.ProviderCode, review.ReviewDate, review.Kind);
            if (seen.TryGetValue(key, out var first))
                findings.Add(new(ReviewRepeated, line, "review_date", review.ReviewDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    $"The {review.Kind} review of {review.ProviderCode} on this date is already on line {first}."));
            else
            {
                seen[key] = line;
                reviews.Add(review);
            }
        }
        if (reviews.Count == 0 && findings.Count == 0) findings.Add(new(FileUnreadable, 2, null, null, "The file has a header but no reviews."));
        return (findings.Count == 0 ? reviews : [], findings);
    }

    private static ReviewDraft? Check(string providerCode, string? date, string? kind, string? reviewer, string? notes,
        IReadOnlyList<(string Item, string Raw)> given, int? line, ReviewContext context, List<ReviewFinding> findings)
    {
        var before = findings.Count;
        var provider = context.Provider(providerCode.ToUpperInvariant());
        if (provider is null) findings.Add(new(ProviderUnknown, line, "provider_code", providerCode, $"There is no provider '{Returns.ReturnFormat.Echo(providerCode)}'."));

        DateOnly reviewDate = default;
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out reviewDate))
            findings.Add(new(DateInvalid, line, "review_date", date, "review_date is the day of the review, yyyy-MM-dd."));
        else if (reviewDate > context.Today)
            findings.Add(new(DateInFuture, line, "review_date", date, "review_date is in the future: a review is recorded once it has happened."));
        else if (provider is not null && (reviewDate < provider.ActiveFrom || provider.ActiveTo is { } end && reviewDate > end))
            findings.Add(new(DateBeforeActive, line, "review_date", date,
                $"{provider.Code} was not active on {date}: it is active from {provider.ActiveFrom:yyyy-MM-dd}{(provider.ActiveTo is { } to ? $" to {to:yyyy-MM-dd}" : "")}."));

        if (kind is not ("external" or "self")) findings.Add(new(KindInvalid, line, "kind", kind, "kind is external (an external reviewer's) or self (the service's own)."));
        else if (provider is not null
            && context.Refusal(provider, kind) is { } refusal) findings.Add(new(ProviderUnknown, line, "provider_code", providerCode,
            refusal));

        if (reviewer?.Length > 200) findings.Add(new(TextTooLong, line, "reviewer", null, "reviewer is at most 200 characters."));
        if (notes?.Length > 2000) findings.Add(new(TextTooLong, line, "notes", null, "notes are at most 2,000 characters."));

        var scores = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (item, raw) in given)
        {
            if (!FidelityScale.Codes.Contains(item)) findings.Add(new(ColumnUnknown, line, item, null, $"'{item}' is not an item of the fidelity scale (S1 to V14)."));
            else if (scores.ContainsKey(item)) findings.Add(new(ItemRepeated, line, item, raw, $"Item {item} is scored twice."));
            else if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var score)
                && score is >= 1 and <= 5) scores[item] = score;
            else
            {
                findings.Add(new(ScoreInvalid, line, item, raw, $"Item {item} is scored with a whole number from 1 to 5."));
                scores[item] = 0; // seen, so that it is not also reported missing
            }
        }
        foreach (var item in FidelityScale.Items.Where(i => !scores.ContainsKey(i.Code)))
            findings.Add(new(ItemMissing, line, item.Code, null, $"Item {item.Code} ({item.Name}) has no score."));
        return findings.Count > before ? null
            : new ReviewDraft(provider!.Code, provider.IcbCode, reviewDate, kind!, reviewer, notes, scores);
    }
}
