using System.Data.Common;
using Dapper;
using Hangfire;
using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Organisations;
using IpsOutcomes.Returns;

namespace IpsOutcomes.Submissions;

/// <summary>
/// Validates a queued submission and then, in one transaction, either stores it as the provider's current return
/// for the month or rejects it with its findings and stores nothing else. Reentrant: it claims the submission
/// first, and every write is conditional on the submission still being <c>validating</c>, so a second run (a
/// retry, or a job re-enqueued after a restart) changes nothing once the first has finished.
/// </summary>
public sealed class SubmissionProcessor(
    Database database,
    UploadSpool spool,
    ReturnValidator validator,
    ValidationContextLoader contexts,
    ReferralStore referrals,
    OrganisationStore register,
    FindingStore findingStore,
    DataVersion dataVersion,
    Webhooks.WebhookOutbox outbox,
    TimeProvider clock,
    ILogger<SubmissionProcessor> logger)
{
    internal static readonly Sql Claim = Sql.Portable("""
        UPDATE submissions SET status = 'validating', attempts = attempts + 1, failure_reason = NULL, rows_read = 0
        WHERE id = @id AND status IN ('queued', 'validating', 'failed')
        """);

    internal static readonly Sql SelectWork = Sql.Portable("""
        SELECT id AS Id, provider_code AS ProviderCode, period AS Period, upload_id AS UploadId FROM submissions WHERE id = @id
        """);

    internal static readonly Sql UpdateProgress = Sql.Portable(
        "UPDATE submissions SET rows_read = @read, rows_total = @total WHERE id = @id AND status = 'validating'");

    /// <summary>How long a job waits for another job storing the same provider's return.</summary>
    private const int ProviderLockSeconds = 600;

    internal static readonly Sql SelectStatus = Sql.Portable("SELECT status FROM submissions WHERE id = @id");

    internal static readonly Sql SelectCurrent = Sql.Portable("""
        SELECT id FROM submissions
        WHERE provider_code = @provider AND period = @period AND status = 'accepted' AND id <> @id
        """);

    internal static readonly Sql Supersede = Sql.Portable(
        "UPDATE submissions SET status = 'superseded', superseded_by = @by WHERE id = @id");

    internal static readonly Sql Finish = Sql.Portable("""
        UPDATE submissions
        SET status = @status, row_count = @rows, error_count = @errors, warning_count = @warnings,
            processed_at = @now, upload_id = NULL, superseded_by = @supersededBy, rows_read = @rows
        WHERE id = @id AND status = 'validating'
        """);

    internal static readonly Sql MarkFailed = Sql.Portable("""
        UPDATE submissions SET status = 'failed', failure_reason = @reason WHERE id = @id AND status = 'validating'
        """);

    private sealed class Work
    {
        public long Id { get; init; }
        public string ProviderCode { get; init; } = "";
        public string Period { get; init; } = "";
        public long? UploadId { get; init; }
    }

    public async Task ProcessAsync(long submissionId, CancellationToken cancellationToken)
    {
        if (await database.ExecuteAsync(Claim, new { id = submissionId }, cancellationToken) == 0) return; // done already
        try
        {
            await ValidateAndStoreAsync(submissionId, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The system broke, not the file: say so, and let Hangfire retry.
            logger.LogError(exception, "Submission {SubmissionId} failed; it will be retried", submissionId);
            await database.ExecuteAsync(MarkFailed, new
            {
                id = submissionId,
                reason = $"The service could not finish processing this return ({exception.GetType().Name}); it will try again. This is not a fault in the file.",
            }, CancellationToken.None);
            throw;
        }
    }

    private async Task ValidateAndStoreAsync(long submissionId, CancellationToken cancellationToken)
    {
        var work = await database.QuerySingleOrDefaultAsync<Work>(SelectWork, new { id = submissionId }, cancellationToken)
            ?? throw new InvalidOperationException($"Submission {submissionId} does not exist.");
        if (work.UploadId is not { } uploadId) throw new InvalidOperationException($"Submission {submissionId} has no upload to read.");
        _ = ReturnPeriod.TryParse(work.Period, out var period); // stored by the upload, which checked it
        var icbCode = (await register.ProviderAsync(work.ProviderCode, cancellationToken))!.IcbCode;

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var outcome = await ValidateAsync(work, uploadId, period, cancellationToken);
        var validated = watch.Elapsed;
        var decision = await DecideAsync(work, period, icbCode, outcome, watch, cancellationToken);
        if (decision is null) return; // another run finished it meanwhile
        outbox.Dispatch(decision.Deliveries);
        await ReleaseAsync(uploadId, cancellationToken);
        logger.LogInformation(
            "Submission {SubmissionId} for {Provider} {Period}: {Status}, {Rows} rows, {Errors} errors, {Warnings} warnings; validated in {ValidateSeconds:F2}s, rows stored in {StoreSeconds:F2}s, findings and commit in {FinishSeconds:F2}s, then upload deleted and checkpoint in {CheckpointSeconds:F2}s",
            submissionId, work.ProviderCode, work.Period, decision.Status.Name(), outcome.Rows, outcome.Findings.Errors,
                outcome.Findings.Warnings,
            validated.TotalSeconds, (decision.Stored - validated).TotalSeconds, (decision.Committed - decision.Stored).TotalSeconds,
            (watch.Elapsed - decision.Committed).TotalSeconds);
    }

    /// <summary>Reads the spooled file through the validator, against what the provider sent before, reporting progress as it
    /// goes.</summary>
    private async Task<ValidationOutcome> ValidateAsync(Work work, long uploadId, ReturnPeriod period, CancellationToken cancellationToken)
    {
        var context = await contexts.LoadAsync(work.ProviderCode, period, cancellationToken);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return validator.Validate(() => spool.Open(uploadId), work.ProviderCode, period, today, context,
            (read, total) => database.ExecuteAsync(UpdateProgress, new { id = work.Id, read, total }, cancellationToken).GetAwaiter()
                .GetResult());
    }

    /// <summary>What a run decided, the deliveries it queued, and when its rows were stored and its transaction committed.</summary>
    private sealed record Decision(SubmissionStatus Status, IReadOnlyList<long> Deliveries, TimeSpan Stored, TimeSpan Committed);

    /// <summary>
    /// In one transaction, under the provider's lock: the return stored as the provider's current state (or kept as
    /// history behind a later one), or rejected; its findings, its status and the ICB's event. Null when another run
    /// decided it first.
    /// </summary>
    private async Task<Decision?> DecideAsync(Work work, ReturnPeriod period, string icbCode, ValidationOutcome outcome,
        System.Diagnostics.Stopwatch watch, CancellationToken cancellationToken)
    {
        // Sealing the findings' referral ids needs no database: do it on the other core while the rows are stored.
        var findings = OwnThread.Run(() => findingStore.Seal(outcome.Findings));
        await using var connection = await database.OpenAsync(cancellationToken);
        await database.PrepareForBulkStoreAsync(connection);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await database.LockAsync(connection, transaction, $"IpsOutcomes.provider.{work.ProviderCode}", ProviderLockSeconds, cancellationToken);
        if (await connection.ExecuteScalarAsync<string>(database[SelectStatus], new { id = work.Id },
            transaction) != SubmissionStatus.Validating.Name())
            return null;

        var (status, supersededBy, change) = outcome.Accepted
            ? await StoreAsync(connection, transaction, work, period, outcome, cancellationToken)
            : (SubmissionStatus.Rejected, null, null);
        using (change) // completed once the transaction has committed
        {
            var stored = watch.Elapsed;
            await findingStore.InsertAsync(connection, transaction, work.Id, await findings);
            await connection.ExecuteAsync(database[Finish], new
            {
                id = work.Id,
                status = status.Name(),
                rows = outcome.Rows,
                errors = outcome.Findings.Errors,
                warnings = outcome.Findings.Warnings,
                now = clock.GetUtcNow(),
                supersededBy,
            }, transaction);
            var deliveries = await AnnounceAsync(connection, transaction, work, icbCode, status, outcome);
            await transaction.CommitAsync(cancellationToken);
            return new Decision(status, deliveries, stored, watch.Elapsed);
        }
    }

    /// <summary>
    /// An accepted return becomes the provider's current state for the month, superseding the one before; or, if a later
    /// upload for the month was stored first, it stays current and this one is history.
    /// </summary>
    private async Task<(SubmissionStatus Status, long? SupersededBy, IDisposable? Change)> StoreAsync(DbConnection connection,
        DbTransaction transaction, Work work, ReturnPeriod period, ValidationOutcome outcome, CancellationToken cancellationToken)
    {
        var current = await connection.ExecuteScalarAsync<long?>(database[SelectCurrent],
            new { provider = work.ProviderCode, period = work.Period, id = work.Id }, transaction);
        if (current > work.Id) return (SubmissionStatus.Superseded, current, null);
        if (current is { } previous)
            await connection.ExecuteAsync(database[Supersede], new { id = previous, by = work.Id }, transaction);
        await referrals.AcceptAsync(connection, transaction, work.ProviderCode, period, work.Id, current, outcome.Staged!,
            cancellationToken);
        return (SubmissionStatus.Accepted, null, await dataVersion.BumpAsync(connection, transaction,
            version => referrals.RecordChangeAsync(connection, transaction, work.ProviderCode, version)));
    }

    /// <summary>The ICB's event, in the outbox, in the same transaction as the decision.</summary>
    private Task<IReadOnlyList<long>> AnnounceAsync(DbConnection connection, DbTransaction transaction, Work work, string icbCode,
        SubmissionStatus status, ValidationOutcome outcome) =>
        outbox.AddAsync(connection, transaction, icbCode, outcome.Accepted ? "return.accepted" : "return.rejected",
            new Dictionary<string, object?>
            {
                ["provider_code"] = work.ProviderCode,
                ["period"] = work.Period,
                ["submission_id"] = work.Id,
                ["status"] = status.Name(),
                // The ICB's receiver is told counts of rows (people) under the publication rules, as its key would see them.
                ["row_count"] = Indicators.DisclosureControl.RowCount(outcome.Rows, exact: false),
                ["error_count"] = Indicators.DisclosureControl.RowCount(outcome.Findings.Errors, exact: false),
                ["warning_count"] = Indicators.DisclosureControl.RowCount(outcome.Findings.Warnings, exact: false),
            });

    /// <summary>
    /// The raw file is not kept once its submission is decided: deleted (and its pages zeroed) straight after the
    /// decision rather than inside it, which would hold a large return's decision back by a second. If the process
    /// stops in between, the retention job removes the unreferenced upload.
    /// </summary>
    // No collection is forced after a large return: a blocking, compacting one stopped every request, the decided return's
    // own status among them, for half a second (issue 27). The workstation collector gives the memory back in its own time.
    private async Task ReleaseAsync(long uploadId, CancellationToken cancellationToken)
    {
        await spool.DeleteAsync(uploadId, cancellationToken);
        await database.CheckpointAsync(cancellationToken);
    }
}

/// <summary>The Hangfire job: it takes the submission's id, never its content.</summary>
public sealed class SubmissionJob(SubmissionProcessor processor)
{
    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [5, 30, 120, 600, 1800], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public Task ProcessAsync(long submissionId, CancellationToken cancellationToken)
        => processor.ProcessAsync(submissionId, cancellationToken);
}
