using Dapper;
using Hangfire;
using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Submissions;

/// <summary>
/// On the embedded default Hangfire's queue lives in memory and dies with the process. At start-up, every
/// submission that was queued or being validated (or had failed and was waiting for a retry) is queued again;
/// the job's claim makes this safe however often it happens. On SQL Server, Hangfire's own queue survives, and
/// only submissions that never reached it are queued again.
/// </summary>
public sealed class SubmissionRecovery(Database database, IBackgroundJobClient jobs, TimeProvider clock, ILogger<SubmissionRecovery> logger)
    : StartupTask
{
    internal static readonly Sql RequeueInterrupted = Sql.Portable(
        "UPDATE submissions SET status = 'queued' WHERE status = 'validating'");

    internal static readonly Sql SelectUnfinished = Sql.Portable(
        "SELECT id FROM submissions WHERE status IN ('queued', 'failed') AND (@before IS NULL OR uploaded_at < @before) ORDER BY id");

    // Upload chunks that no submission points at: a client that went away mid-upload, or a job that died after its decision.
    internal static readonly Sql DeleteAbandonedUploads = Sql.Portable("""
        DELETE FROM uploads WHERE created_at < @before AND id NOT IN (SELECT upload_id FROM submissions WHERE upload_id IS NOT NULL)
        """);

    public override async Task StartedAsync(CancellationToken cancellationToken)
    {
        var embedded = database.Provider == DatabaseProvider.Sqlite;
        await using var connection = await database.OpenAsync(cancellationToken);
        if (embedded) await connection.ExecuteAsync(database[RequeueInterrupted]);
        DateTimeOffset? before = embedded ? null : clock.GetUtcNow().AddMinutes(-10);
        var ids = (await connection.QueryAsync<long>(database[SelectUnfinished], new { before })).ToList();
        foreach (var id in ids) jobs.Enqueue<SubmissionJob>(job => job.ProcessAsync(id, CancellationToken.None));
        // On the embedded default no upload can be under way while the service starts, so every unreferenced one goes
        // (including one whose submission was decided just before the process died, before it could delete it).
        await connection.ExecuteAsync(database[DeleteAbandonedUploads],
            new { before = embedded ? DateTimeOffset.MaxValue : clock.GetUtcNow().AddHours(-1) });
        if (ids.Count > 0) logger.LogInformation("Queued {Count} unfinished submission(s) again", ids.Count);
    }
}
