using System.Data.Common;
using Dapper;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Returns;

namespace IpsOutcomes.Submissions;

public sealed record FindingView(int Sequence, string Code, Severity Severity, int? Line, string? Column, string? ReferralId,
    string? Value, string Message);

/// <summary>Findings are kept with their submission; the referral ids in them are stored encrypted.</summary>
public sealed class FindingStore(Database database, Pseudonymiser pseudonymiser)
{
    // SQLite inserts row by row with one prepared statement; SQL Server takes them in one bulk copy.
    internal static readonly Sql DeleteOfSupersededAndRejected = Sql.Portable("""
        DELETE FROM findings WHERE submission_id IN (
            SELECT id FROM submissions WHERE status IN ('superseded', 'rejected') AND processed_at < @cutoff)
        """);

    /// <summary>Deletes the findings of submissions superseded or rejected before <paramref name="cutoff"/> (retention).</summary>
    public Task<int> DeleteOfSupersededAndRejectedAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        database.ExecuteAsync(DeleteOfSupersededAndRejected, new { cutoff }, cancellationToken);

    internal static readonly Sql Insert = Sql.SqliteOnly("""
        INSERT INTO findings (submission_id, sequence, code, severity, line, column_name, referral_id, value, message)
        VALUES (@SubmissionId, @Sequence, @Code, @Severity, @Line, @Column, @ReferralId, @Value, @Message)
        """);

    internal static readonly Sql SelectPage = Sql.Page("""
        SELECT sequence AS Sequence, code AS Code, severity AS Severity, line AS Line, column_name AS ColumnName,
               referral_id AS ReferralId, value AS Value, message AS Message
        FROM findings WHERE submission_id = @id AND sequence > @after
        ORDER BY sequence
        """, skip: "0");

    private const string Filter = "submission_id = @id AND (@severity IS NULL OR severity = @severity) AND (@code IS NULL OR code = @code)";

    internal static readonly Sql SelectFiltered = Sql.Page($"""
        SELECT sequence AS Sequence, code AS Code, severity AS Severity, line AS Line, column_name AS ColumnName,
               referral_id AS ReferralId, value AS Value, message AS Message
        FROM findings WHERE {Filter}
        ORDER BY sequence
        """);

    internal static readonly Sql CountFiltered = Sql.Portable($"SELECT COUNT(*) FROM findings WHERE {Filter}");

    internal static readonly Sql SelectCodes = Sql.Portable("""
        SELECT code AS Code, severity AS Severity, COUNT(*) AS Count FROM findings WHERE submission_id = @id GROUP BY code, severity ORDER BY code
        """);

    /// <summary>How many findings a submission has under each rule code.</summary>
    public sealed record CodeCount
    {
        public string Code { get; init; } = "";
        public string Severity { get; init; } = "";
        public int Count { get; init; }
    }

    /// <summary>
    /// The findings as they are stored: the kept ones, a note of how many more were counted, and each referral id
    /// sealed. CPU work only, so the job does it on the other core while the rows are being stored.
    /// </summary>
    public SealedFindings Seal(FindingSink sink)
    {
        var findings = new List<Finding>(sink.Findings.Count + 1);
        using var sealer = pseudonymiser.FindingsSealer();
        foreach (var f in sink.Findings)
            findings.Add(f.ReferralId is null ? f : f with { ReferralId = sealer.Seal(f.ReferralId) });
        if (sink.Dropped > 0)
            findings.Add(new Finding(Says.MoreNotListed.Code, Says.MoreNotListed.Severity, null, null, null, null,
                Says.MoreNotListed.Format(sink.Dropped)));
        return new SealedFindings(findings);
    }

    /// <summary>Findings whose referral ids are sealed: the only kind <see cref="InsertAsync"/> takes, so none is ever stored in the
    /// clear.</summary>
    public sealed class SealedFindings
    {
        internal SealedFindings(IReadOnlyList<Finding> rows) => Rows = rows;

        public IReadOnlyList<Finding> Rows { get; }
    }

    /// <summary>Stores findings from <see cref="Seal"/>, numbered in order.</summary>
    public async Task InsertAsync(DbConnection connection, DbTransaction transaction, long submissionId, SealedFindings sealedFindings)
    {
        var findings = sealedFindings.Rows;
        if (findings.Count == 0) return;
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            using var insert = new SqliteStatement((Microsoft.Data.Sqlite.SqliteConnection)connection, database[Insert]);
            insert.Bind("@SubmissionId", submissionId);
            for (var i = 0; i < findings.Count; i++)
            {
                var f = findings[i];
                insert.Bind("@Sequence", i + 1L).Bind("@Code", f.Code).Bind("@Severity", SeverityText(f.Severity)).Bind("@Line", f.Line)
                    .Bind("@Column", f.Column).Bind("@ReferralId", f.ReferralId).Bind("@Value", f.Value).Bind("@Message", f.Message).Execute();
            }
            return;
        }
        var table = SqlServerBulkCopy.Table(
            ("submission_id", typeof(long)), ("sequence", typeof(int)), ("code", typeof(string)), ("severity", typeof(string)),
            ("line", typeof(int)), ("column_name", typeof(string)), ("referral_id", typeof(string)), ("value", typeof(string)), ("message", typeof(string)));
        for (var i = 0; i < findings.Count; i++)
        {
            var f = findings[i];
            table.Rows.Add(submissionId, i + 1, f.Code, SeverityText(f.Severity), (object?)f.Line ?? DBNull.Value,
                (object?)f.Column ?? DBNull.Value, (object?)f.ReferralId ?? DBNull.Value, (object?)f.Value ?? DBNull.Value, f.Message);
        }
        await SqlServerBulkCopy.WriteAsync(connection, transaction, "dbo.findings", table);
    }

    private static string SeverityText(Severity severity) => severity == Severity.Error ? "error" : "warning";

    /// <summary>A page of findings after <paramref name="after"/> (a sequence number), in file order.</summary>
    private async Task<IReadOnlyList<FindingView>> PageAsync(long submissionId, int after, int take, bool withRowValues,
        CancellationToken cancellationToken)
    {
        var rows = await database.QueryAsync<StoredFinding>(SelectPage, new { id = submissionId, after, take }, cancellationToken);
        return rows.Select(f => View(f, withRowValues)).ToList();
    }

    /// <summary>One page of the findings, of one severity (error, warning) or rule code or all, and how many there are: the API's page and
    /// the submission page's.</summary>
    public async Task<(IReadOnlyList<FindingView> Items, int Total)> FilteredPageAsync(long submissionId, string? severity, string? code,
        int page, int pageSize, bool withRowValues, CancellationToken cancellationToken)
    {
        var filter = new { id = submissionId, severity, code, take = pageSize, skip = (page - 1) * pageSize };
        var rows = await database.QueryAsync<StoredFinding>(SelectFiltered, filter, cancellationToken);
        var total = await database.QuerySingleOrDefaultAsync<int>(CountFiltered, filter, cancellationToken);
        return (rows.Select(f => View(f, withRowValues)).ToList(), total);
    }

    public async Task<IReadOnlyList<CodeCount>> CodesAsync(long submissionId, CancellationToken cancellationToken) =>
        await database.QueryAsync<CodeCount>(SelectCodes, new { id = submissionId }, cancellationToken);

    /// <summary>
    /// The findings as CSV for a spreadsheet, as <paramref name="caller"/> may see them: every finding in file order (with
    /// row values where <see cref="ShowsRowValues"/>), or the per-rule summary where the key may not see the list.
    /// </summary>
    public async Task WriteCsvAsync(Stream body, long submissionId, Caller caller, CancellationToken cancellationToken)
    {
        if (ListsFindings(caller)) await WriteListCsvAsync(body, submissionId, ShowsRowValues(caller), cancellationToken);
        else await WriteSummaryCsvAsync(body, await SummaryAsync(submissionId, cancellationToken));
    }

    private async Task WriteListCsvAsync(Stream body, long submissionId, bool withRowValues, CancellationToken cancellationToken)
    {
        await using var csv = CsvOutput.Writer(body);
        foreach (var header in new[] { "line", "severity", "code", "column", "referral_id", "value", "message" }) csv.WriteField(header);
        await csv.NextRecordAsync();
        for (var after = 0; ;)
        {
            var batch = await PageAsync(submissionId, after, 5000, withRowValues, cancellationToken);
            if (batch.Count == 0) break;
            foreach (var f in batch)
            {
                csv.WriteField(f.Line);
                csv.WriteField(CsvOutput.SnakeCase(f.Severity));
                csv.WriteField(f.Code);
                csv.WriteField(f.Column);
                csv.WriteField(f.ReferralId);
                csv.WriteField(f.Value);
                csv.WriteField(f.Message);
                await csv.NextRecordAsync();
            }
            after = batch[^1].Sequence;
        }
        await csv.FlushAsync();
    }

    /// <summary>
    /// The rows' values (referral ids, cell values, a message that quotes the row): the service's own key and admins only.
    /// Anyone else who sees the list sees each rule's words in place of the message.
    /// </summary>
    public static bool ShowsRowValues(Caller caller) => caller.Role is Role.Provider or Role.Admin;

    /// <summary>
    /// The findings one by one, with their lines: the service's own key, admins and keys with the unsuppressed permission.
    /// A finding is about a row, and a row is a person, so for any other key the list's length would undo the rounding of
    /// the submission's error count: they get <see cref="SummaryAsync"/>.
    /// </summary>
    public static bool ListsFindings(Caller caller) => caller.Role is Role.Provider or Role.Admin || caller.Unsuppressed;

    /// <summary>How many findings under each rule, in the published form: under 5 hidden, others rounded to 5; no lines.</summary>
    public async Task<FindingSummary> SummaryAsync(long submissionId, CancellationToken cancellationToken) =>
        new(submissionId, (await CodesAsync(submissionId, cancellationToken)).Select(c => new RuleCount(c.Code,
            SeverityOf(c.Severity), ReturnRules.ByCode.GetValueOrDefault(c.Code)?.Rule ?? c.Code,
            Indicators.DisclosureControl.SafeCount(c.Count), c.Count < Indicators.DisclosureControl.Threshold)).ToList());

    /// <summary>The per-rule summary as CSV: code, severity, rule, count (empty where hidden), suppressed.</summary>
    private static async Task WriteSummaryCsvAsync(Stream body, FindingSummary summary)
    {
        await using var csv = CsvOutput.Writer(body);
        foreach (var header in new[] { "code", "severity", "rule", "count", "suppressed" }) csv.WriteField(header);
        await csv.NextRecordAsync();
        foreach (var rule in summary.Rules)
        {
            csv.WriteField(rule.Code);
            csv.WriteField(CsvOutput.SnakeCase(rule.Severity));
            csv.WriteField(rule.Rule);
            csv.WriteField(rule.Count);
            csv.WriteField(rule.Suppressed ? "true" : "false");
            await csv.NextRecordAsync();
        }
        await csv.FlushAsync();
    }

    private static Severity SeverityOf(string stored) => stored == "error" ? Severity.Error : Severity.Warning;

    private FindingView View(StoredFinding f, bool withRowValues) =>
        new(f.Sequence, f.Code, SeverityOf(f.Severity), f.Line, f.ColumnName,
            withRowValues ? pseudonymiser.Decrypt(f.ReferralId) : null, withRowValues ? f.Value : null,
            withRowValues ? f.Message : ReturnRules.ByCode.GetValueOrDefault(f.Code)?.Rule ?? f.Message);

    private sealed class StoredFinding
    {
        public int Sequence { get; init; }
        public string Code { get; init; } = "";
        public string Severity { get; init; } = "";
        public int? Line { get; init; }
        public string? ColumnName { get; init; }
        public string? ReferralId { get; init; }
        public string? Value { get; init; }
        public string Message { get; init; } = "";
    }
}
