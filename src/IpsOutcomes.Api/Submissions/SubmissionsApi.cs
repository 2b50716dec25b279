using IpsOutcomes.Infrastructure;
using IpsOutcomes.Returns;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IpsOutcomes.Submissions;

/// <summary>A submission's status and progress. Settable properties, so Dapper maps either dialect's column types.</summary>
public sealed record SubmissionView
{
    public long Id { get; init; }
    public string ProviderCode { get; init; } = "";
    public string Period { get; init; } = "";
    public string Status { get; init; } = "";
    public DateTimeOffset UploadedAt { get; init; }
    public long? UploadedByKeyId { get; init; }
    public string FileSha256 { get; init; } = "";
    public long? FileBytes { get; init; }
    public int? RowsTotal { get; init; }
    public int? RowsRead { get; init; }
    public int? RowCount { get; init; }
    public int? ErrorCount { get; init; }
    public int? WarningCount { get; init; }
    public string? FailureReason { get; init; }
    public int Attempts { get; init; }
    public DateTimeOffset? ProcessedAt { get; init; }
    public long? SupersededBy { get; init; }

    public string Self => $"/api/v1/submissions/{Id}";

    /// <summary>
    /// The view as a key may see it. Rows are people: their counts are exact for the provider's own key and for keys
    /// with the unsuppressed permission, and under the publication rules (under 5 hidden, others rounded to 5) for
    /// every other key; the file's size, which would give the row count back, is not shown to those.
    /// </summary>
    public SubmissionView SeenBy(Caller caller)
    {
        if (caller.Unsuppressed || caller.Role == Role.Provider) return this;
        static int? Safe(int? count) => count is { } c ? (int?)Indicators.DisclosureControl.SafeCount(c) : null;
        return this with
        {
            FileBytes = null, RowsTotal = Safe(RowsTotal), RowsRead = Safe(RowsRead), RowCount = Safe(RowCount),
            ErrorCount = Safe(ErrorCount), WarningCount = Safe(WarningCount),
        };
    }
    public string Findings => $"/api/v1/submissions/{Id}/findings";
}

public sealed record SubmissionPage(IReadOnlyList<SubmissionView> Items, int Page, int PageSize);

public sealed record FindingPage(long SubmissionId, IReadOnlyList<FindingView> Items, int Page, int PageSize, int Total);

public sealed class SubmissionStore(Database database)
{
    private const string Columns = """
        s.id AS Id, s.provider_code AS ProviderCode, s.period AS Period, s.status AS Status, s.uploaded_at AS UploadedAt,
        s.uploaded_by_key_id AS UploadedByKeyId, s.file_sha256 AS FileSha256, s.file_bytes AS FileBytes,
        s.rows_total AS RowsTotal, s.rows_read AS RowsRead, s.row_count AS "RowCount", s.error_count AS ErrorCount,
        s.warning_count AS WarningCount, s.failure_reason AS FailureReason, s.attempts AS Attempts,
        s.processed_at AS ProcessedAt, s.superseded_by AS SupersededBy
        """;

    internal static readonly Sql SelectOne = Sql.Portable($"SELECT {Columns} FROM submissions s WHERE s.id = @id");

    internal static readonly Sql SelectIcbOfProvider = Sql.Portable("SELECT icb_code FROM providers WHERE code = @code");

    private const string ListFilter = """
        FROM submissions s JOIN providers p ON p.code = s.provider_code
        WHERE (@provider IS NULL OR s.provider_code = @provider) AND (@icb IS NULL OR p.icb_code = @icb)
          AND (@period IS NULL OR s.period = @period) AND (@status IS NULL OR s.status = @status)
        ORDER BY s.id DESC
        """;

    internal static readonly Sql SelectPage = new(
        Sqlite: $"SELECT {Columns} {ListFilter} LIMIT @take OFFSET @skip",
        SqlServer: $"SELECT {Columns} {ListFilter} OFFSET @skip ROWS FETCH NEXT @take ROWS ONLY");

    internal static readonly Sql SelectSameFile = Sql.Portable($"""
        SELECT {Columns} FROM submissions s
        WHERE s.provider_code = @provider AND s.period = @period AND s.file_sha256 = @sha AND s.status <> 'superseded'
        """);

    internal static readonly Sql SelectByIdempotencyKey = Sql.Portable($"""
        SELECT {Columns} FROM idempotency_keys k JOIN submissions s ON s.id = k.submission_id
        WHERE k.key_id = @keyId AND k.idempotency_key = @idempotencyKey
        """);

    internal static readonly Sql Insert = new(
        Sqlite: """
            INSERT INTO submissions (provider_code, period, status, uploaded_by_key_id, uploaded_at, file_sha256, file_bytes, upload_id, rows_total)
            VALUES (@provider, @period, 'queued', @keyId, @now, @sha, @bytes, @uploadId, NULL);
            SELECT last_insert_rowid();
            """,
        SqlServer: """
            INSERT INTO dbo.submissions (provider_code, period, status, uploaded_by_key_id, uploaded_at, file_sha256, file_bytes, upload_id, rows_total)
            VALUES (@provider, @period, 'queued', @keyId, @now, @sha, @bytes, @uploadId, NULL);
            SELECT CAST(SCOPE_IDENTITY() AS bigint);
            """);

    internal static readonly Sql InsertIdempotencyKey = Sql.Portable("""
        INSERT INTO idempotency_keys (key_id, idempotency_key, submission_id, created_at) VALUES (@keyId, @idempotencyKey, @id, @now)
        """);

    internal static readonly Sql CountFindings = Sql.Portable("SELECT COUNT(*) FROM findings WHERE submission_id = @id");

    public sealed record ScopedSubmission(SubmissionView Submission, string IcbCode);

    public async Task<ScopedSubmission?> GetAsync(long id, CancellationToken cancellationToken)
    {
        var submission = await database.QuerySingleOrDefaultAsync<SubmissionView>(SelectOne, new { id }, cancellationToken);
        if (submission is null) return null;
        var icb = await database.QuerySingleOrDefaultAsync<string>(SelectIcbOfProvider, new { code = submission.ProviderCode }, cancellationToken);
        return new ScopedSubmission(submission, icb!);
    }

    public async Task<IReadOnlyList<SubmissionView>> ListAsync(string? provider, string? icb, string? period, string? status, int page, int pageSize,
        CancellationToken cancellationToken) =>
        await database.QueryAsync<SubmissionView>(SelectPage,
            new { provider, icb, period, status, take = pageSize, skip = (page - 1) * pageSize }, cancellationToken);

    public Task<SubmissionView?> FindSameFileAsync(string provider, string period, string sha, CancellationToken cancellationToken) =>
        database.QuerySingleOrDefaultAsync<SubmissionView>(SelectSameFile, new { provider, period, sha }, cancellationToken);

    public Task<SubmissionView?> FindByIdempotencyKeyAsync(long keyId, string idempotencyKey, CancellationToken cancellationToken) =>
        database.QuerySingleOrDefaultAsync<SubmissionView>(SelectByIdempotencyKey, new { keyId, idempotencyKey }, cancellationToken);

    public Task<int> CountFindingsAsync(long id, CancellationToken cancellationToken) =>
        database.QuerySingleOrDefaultAsync<int>(CountFindings, new { id }, cancellationToken);
}

public static class SubmissionsApi
{
    public static IEndpointRouteBuilder MapSubmissions(this IEndpointRouteBuilder api)
    {
        var submissions = api.MapGroup("/submissions").WithTags("Submissions");
        submissions.MapGet("/", List).WithName("ListSubmissions")
            .WithSummary("Submissions this key may see, newest first; filter by provider, period (yyyy-MM) and status");
        submissions.MapGet("/{id:long}", Get).WithName("GetSubmission").WithSummary("A submission's status and progress");
        submissions.MapGet("/{id:long}/findings", Findings).WithName("GetFindings")
            .WithSummary("A submission's findings, in file order: JSON (paged), or CSV for a spreadsheet (Accept: text/csv or ?format=csv)")
            .Produces<FindingPage>(200, "application/json").Produces(200, null, "text/csv");
        return api;
    }

    private static readonly string[] Statuses = ["queued", "validating", "accepted", "rejected", "failed", "superseded"];

    private static async Task<Results<Ok<SubmissionPage>, ValidationProblem>> List(
        string? provider, string? period, string? status, int? page, int? page_size, Caller caller, SubmissionStore store, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (status is not null && !Statuses.Contains(status)) errors["status"] = [$"status is one of {string.Join(", ", Statuses)}."];
        if (period is not null && !ReturnPeriod.TryParse(period, out _)) errors["period"] = ["period is a month, yyyy-MM."];
        if (page < 1) errors["page"] = ["page starts at 1."];
        if (page_size is < 1 or > 500) errors["page_size"] = ["page_size is 1 to 500."];
        if (errors.Count > 0) return Problems.Invalid(errors);
        // The key's scope narrows whatever filter was asked for.
        var providerFilter = caller.Role == Role.Provider ? caller.OrganisationCode : provider?.ToUpperInvariant();
        if (caller.Role == Role.Provider && provider is not null && !provider.Equals(caller.OrganisationCode, StringComparison.OrdinalIgnoreCase))
            return TypedResults.Ok(new SubmissionPage([], page ?? 1, page_size ?? 50));
        var icbFilter = caller.Role == Role.Icb ? caller.OrganisationCode : null;
        var items = await store.ListAsync(providerFilter, icbFilter, period, status, page ?? 1, page_size ?? 50, ct);
        return TypedResults.Ok(new SubmissionPage(items.Select(s => s.SeenBy(caller)).ToList(), page ?? 1, page_size ?? 50));
    }

    private static async Task<Results<Ok<SubmissionView>, ProblemHttpResult>> Get(long id, Caller caller, SubmissionStore store, CancellationToken ct)
    {
        var found = await store.GetAsync(id, ct);
        // A submission outside the key's scope is not found: ids are sequential and must not reveal others' activity.
        if (found is null || !caller.CanReadProvider(found.Submission.ProviderCode, found.IcbCode))
            return Problems.NotFound($"There is no submission {id} for this key.");
        return TypedResults.Ok(found.Submission.SeenBy(caller));
    }

    private static async Task<Results<Ok<FindingPage>, EmptyHttpResult, ProblemHttpResult, ValidationProblem>> Findings(
        long id, int? page, int? page_size, string? format, Caller caller, SubmissionStore store, FindingStore findings,
        HttpContext http, CancellationToken ct)
    {
        var found = await store.GetAsync(id, ct);
        if (found is null || !caller.CanReadProvider(found.Submission.ProviderCode, found.IcbCode))
            return Problems.NotFound($"There is no submission {id} for this key.");
        if (page < 1 || page_size is < 1 or > 5000) return Problems.Invalid("page", "page starts at 1; page_size is 1 to 5000.");
        // ICB keys see which rules failed on which lines, not the rows' values.
        var withRowValues = caller.Role != Role.Icb;

        if (CsvOutput.Wanted(http.Request, format))
        {
            http.Response.ContentType = CsvOutput.ContentType;
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"submission-{id}-findings.csv\"";
            await using var csv = CsvOutput.Writer(http.Response.Body);
            foreach (var header in new[] { "line", "severity", "code", "column", "referral_id", "value", "message" }) csv.WriteField(header);
            await csv.NextRecordAsync();
            for (var after = 0; ;)
            {
                var batch = await findings.PageAsync(id, after, 5000, withRowValues, ct);
                if (batch.Count == 0) break;
                foreach (var f in batch)
                {
                    csv.WriteField(f.Line);
                    csv.WriteField(f.Severity == Severity.Error ? "error" : "warning");
                    csv.WriteField(f.Code);
                    csv.WriteField(f.Column);
                    csv.WriteField(f.ReferralId);
                    csv.WriteField(f.Value);
                    csv.WriteField(withRowValues ? f.Message : ReturnRules.ByCode.GetValueOrDefault(f.Code)?.Rule ?? f.Message);
                    await csv.NextRecordAsync();
                }
                after = batch[^1].Sequence;
            }
            await csv.FlushAsync();
            return TypedResults.Empty;
        }

        var size = page_size ?? 100;
        var number = page ?? 1;
        var items = await findings.PageAsync(id, (number - 1) * size, size, withRowValues, ct);
        if (!withRowValues)
            items = items.Select(f => f with { Message = ReturnRules.ByCode.GetValueOrDefault(f.Code)?.Rule ?? f.Message }).ToList();
        return TypedResults.Ok(new FindingPage(id, items, number, size, await store.CountFindingsAsync(id, ct)));
    }
}
