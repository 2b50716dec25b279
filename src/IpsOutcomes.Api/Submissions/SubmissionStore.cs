using IpsOutcomes.Infrastructure;
using IpsOutcomes.Organisations;
using IpsOutcomes.Returns;

namespace IpsOutcomes.Submissions;

/// <summary>
/// The submissions and their idempotency keys: the only code that reads them, for this room's routes and pages and
/// for the rooms that ask what was returned (completeness, the dashboard summary, overdue returns).
/// </summary>
public sealed class SubmissionStore(Database database, OrganisationStore register, AsPublished published, FrozenParts frozen)
    : IFrozenPart
{
    /// <summary>A publication keeps every submission as it stood at the cut-off (what completeness and the summary are drawn
    /// from): no rows, no findings.</summary>
    public string Part => "submissions";

    public async Task<object> CurrentAsync(CancellationToken ct) =>
        (await OfProvidersAsync(null, ReturnPeriod.Earliest, ReturnPeriod.Latest, ct)).OrderBy(s => s.Id).ToList();

    private const string Columns = """
        s.id AS Id, s.provider_code AS ProviderCode, s.period AS Period, s.status AS Status, s.uploaded_at AS UploadedAt,
        s.uploaded_by_key_id AS UploadedByKeyId, s.file_sha256 AS FileSha256, s.file_bytes AS FileBytes,
        s.rows_total AS RowsTotal, s.rows_read AS RowsRead, s.row_count AS "RowCount", s.error_count AS ErrorCount,
        s.warning_count AS WarningCount, s.failure_reason AS FailureReason, s.attempts AS Attempts,
        s.processed_at AS ProcessedAt, s.superseded_by AS SupersededBy
        """;

    internal static readonly Sql SelectOne = Sql.Portable($"SELECT {Columns} FROM submissions s WHERE s.id = @id");

    private const string ListFilter = """
        FROM submissions s
        WHERE (@provider IS NULL OR s.provider_code = @provider) AND (@providers IS NULL OR s.provider_code IN LIST(@providers))
          AND (@period IS NULL OR s.period = @period) AND (@status IS NULL OR s.status = @status)
        ORDER BY s.id DESC
        """;

    internal static readonly Sql SelectPage = Sql.Page($"SELECT {Columns} {ListFilter}").WithList();

    internal static readonly Sql SelectOfProviders = Sql.Portable($"""
        SELECT {Columns} FROM submissions s
        WHERE (@providers IS NULL OR s.provider_code IN LIST(@providers)) AND s.period >= @from AND s.period <= @to
        """).WithList();

    internal static readonly Sql SelectSameFile = Sql.Portable($"""
        SELECT {Columns} FROM submissions s
        WHERE s.provider_code = @provider AND s.period = @period AND s.file_sha256 = @sha AND s.status <> 'superseded'
        """);

    internal static readonly Sql SelectByIdempotencyKey = Sql.Portable($"""
        SELECT {Columns} FROM idempotency_keys k JOIN submissions s ON s.id = k.submission_id
        WHERE k.key_id = @keyId AND k.idempotency_key = @idempotencyKey
        """);

    internal static readonly Sql Insert = Sql.InsertReturningId("""
            INSERT INTO submissions (provider_code, period, status, uploaded_by_key_id, uploaded_at, file_sha256, file_bytes, upload_id, rows_total)
            VALUES (@provider, @period, 'queued', @keyId, @now, @sha, @bytes, @uploadId, NULL);
        """);

    internal static readonly Sql InsertIdempotencyKey = Sql.Portable("""
        INSERT INTO idempotency_keys (key_id, idempotency_key, submission_id, created_at) VALUES (@keyId, @idempotencyKey, @id, @now)
        """);

    public sealed record ScopedSubmission(SubmissionView Submission, string IcbCode);

    public async Task<ScopedSubmission?> GetAsync(long id, CancellationToken cancellationToken)
    {
        var submission = await database.QuerySingleOrDefaultAsync<SubmissionView>(SelectOne, new { id }, cancellationToken);
        if (submission is null) return null;
        var provider = await register.ProviderAsync(submission.ProviderCode, cancellationToken);
        return new ScopedSubmission(submission, provider!.IcbCode);
    }

    public async Task<IReadOnlyList<SubmissionView>> ListAsync(string? provider, string? icb, string? period, SubmissionStatus? status,
        int page, int pageSize, CancellationToken cancellationToken)
    {
        var providers = icb is null ? null : (await register.ProvidersAsync(icb, null, cancellationToken)).Select(p => p.Code);
        return await database.QueryAsync<SubmissionView>(SelectPage,
            new
            {
                provider,
                providers = Sql.JsonList(providers),
                period,
                status = status?.Name(),
                take = pageSize,
                skip = (page - 1) * pageSize
            }, cancellationToken);
    }

    /// <summary>Every submission of the providers (all of them, with null) for the months from <paramref name="from"/> to <paramref
    /// name="to"/>.</summary>
    public async Task<IReadOnlyList<SubmissionView>> OfProvidersAsync(IEnumerable<string>? providers, ReturnPeriod from,
        ReturnPeriod to, CancellationToken cancellationToken)
    {
        if (published.Current is not { } publication)
            return await database.QueryAsync<SubmissionView>(SelectOfProviders,
                new { providers = Sql.JsonList(providers), from = from.ToString(), to = to.ToString() }, cancellationToken);
        var wanted = providers?.ToHashSet();
        return (await frozen.ReadAsync<List<SubmissionView>>(publication, Part, cancellationToken))
            .Where(s => (wanted is null || wanted.Contains(s.ProviderCode))
                && string.CompareOrdinal(s.Period, from.ToString()) >= 0 && string.CompareOrdinal(s.Period, to.ToString()) <= 0)
            .ToList();
    }

    public Task<SubmissionView?> FindSameFileAsync(string provider, string period, string sha, CancellationToken cancellationToken) =>
        database.QuerySingleOrDefaultAsync<SubmissionView>(SelectSameFile, new { provider, period, sha }, cancellationToken);

    public Task<SubmissionView?> FindByIdempotencyKeyAsync(long keyId, string idempotencyKey, CancellationToken cancellationToken) =>
        database.QuerySingleOrDefaultAsync<SubmissionView>(SelectByIdempotencyKey, new { keyId, idempotencyKey }, cancellationToken);
}
