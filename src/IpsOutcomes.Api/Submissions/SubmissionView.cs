using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Returns;

namespace IpsOutcomes.Submissions;

/// <summary>A submission's status and progress. Settable properties, so Dapper maps either dialect's column types.</summary>
public sealed record SubmissionView
{
    public long Id { get; init; }
    public string ProviderCode { get; init; } = "";
    public string Period { get; init; } = "";
    public SubmissionStatus Status { get; init; }
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
        static int? Safe(int? count) => DisclosureControl.RowCount(count, exact: false);
        return this with
        {
            FileBytes = null,
            RowsTotal = Safe(RowsTotal),
            RowsRead = Safe(RowsRead),
            RowCount = Safe(RowCount),
            ErrorCount = Safe(ErrorCount),
            WarningCount = Safe(WarningCount),
        };
    }

    public string Findings => $"/api/v1/submissions/{Id}/findings";
}

public sealed record SubmissionPage(IReadOnlyList<SubmissionView> Items, int Page, int PageSize);

/// <summary>A submission's findings as a key that may not see the list sees them: one count per rule.</summary>
public sealed record FindingSummary(long SubmissionId, IReadOnlyList<RuleCount> Rules);

/// <summary>How many findings a rule has, published: null and suppressed where under 5, otherwise rounded to 5.</summary>
public sealed record RuleCount(string Code, Severity Severity, string Rule, long? Count, bool Suppressed);

public sealed record FindingPage(long SubmissionId, IReadOnlyList<FindingView> Items, int Page, int PageSize, int Total);
