using System.Data.Common;
using Dapper;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Returns;

namespace IpsOutcomes.Submissions;

public sealed record FindingView(int Sequence, string Code, Severity Severity, int? Line, string? Column, string? ReferralId, string? Value, string Message);

/// <summary>Findings are kept with their submission; the referral ids in them are stored encrypted.</summary>
public sealed class FindingStore(Database database, Pseudonymiser pseudonymiser)
{
    internal static readonly Sql Insert = Sql.Portable("""
        INSERT INTO findings (submission_id, sequence, code, severity, line, column_name, referral_id, value, message)
        VALUES (@SubmissionId, @Sequence, @Code, @Severity, @Line, @Column, @ReferralId, @Value, @Message)
        """);

    internal static readonly Sql SelectPage = new(
        Sqlite: """
            SELECT sequence AS Sequence, code AS Code, severity AS Severity, line AS Line, column_name AS ColumnName,
                   referral_id AS ReferralId, value AS Value, message AS Message
            FROM findings WHERE submission_id = @id AND sequence > @after
            ORDER BY sequence LIMIT @take
            """,
        SqlServer: """
            SELECT TOP (@take) sequence AS Sequence, code AS Code, severity AS Severity, line AS Line, column_name AS ColumnName,
                   referral_id AS ReferralId, value AS Value, message AS Message
            FROM dbo.findings WHERE submission_id = @id AND sequence > @after
            ORDER BY sequence
            """);

    public async Task InsertAsync(DbConnection connection, DbTransaction transaction, long submissionId, FindingSink sink)
    {
        var findings = sink.Findings.Select((f, i) => new
        {
            SubmissionId = submissionId,
            Sequence = i + 1,
            f.Code,
            Severity = f.Severity == Severity.Error ? "error" : "warning",
            f.Line,
            f.Column,
            ReferralId = f.ReferralId is null ? null : pseudonymiser.Encrypt(f.ReferralId),
            f.Value,
            f.Message,
        }).ToList();
        if (sink.Dropped > 0)
            findings.Add(new
            {
                SubmissionId = submissionId, Sequence = findings.Count + 1, Code = "F006", Severity = "warning", Line = (int?)null,
                Column = (string?)null, ReferralId = (string?)null, Value = (string?)null,
                Message = $"{sink.Dropped:N0} more findings were counted but not listed; fix the ones above and upload again.",
            });
        if (findings.Count > 0) await connection.ExecuteAsync(database[Insert], findings, transaction);
    }

    /// <summary>A page of findings after <paramref name="after"/> (a sequence number), in file order.</summary>
    public async Task<IReadOnlyList<FindingView>> PageAsync(long submissionId, int after, int take, bool withRowValues, CancellationToken cancellationToken)
    {
        var rows = await database.QueryAsync<StoredFinding>(SelectPage, new { id = submissionId, after, take }, cancellationToken);
        return rows.Select(f => new FindingView(f.Sequence, f.Code, f.Severity == "error" ? Severity.Error : Severity.Warning, f.Line, f.ColumnName,
            withRowValues ? pseudonymiser.Decrypt(f.ReferralId) : null, withRowValues ? f.Value : null, f.Message)).ToList();
    }

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
