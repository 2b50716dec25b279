using Dapper;
using Hangfire;
using IpsOutcomes.Audit;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Organisations;
using IpsOutcomes.Returns;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IpsOutcomes.Submissions;

/// <summary>A provider and month a caller may send a return for, checked before any byte of the file is read.</summary>
public sealed record ReturnTarget(Provider Provider, ReturnPeriod Period);

/// <summary>What sending a file came to: a submission (new, or one already recorded for the same file or key), or a refusal.</summary>
public sealed record Received(SubmissionView? Submission, bool IsNew, ProblemHttpResult? Refusal);

/// <summary>
/// Receiving a return, for the API and the pages alike: the checks before the file is read; "send", which streams it
/// to the spool, records the submission and queues its job; and "check only", the dry run, which stores nothing.
/// </summary>
public sealed class ReturnIntake(Database db, OrganisationStore organisations, UploadSpool spool, SubmissionStore store,
    IBackgroundJobClient jobs, ReturnLimits limits, AuditLog audit, TimeProvider clock, ReturnValidator validator,
        ValidationContextLoader contexts)
{
    public const string InvalidPeriod = ProblemTypes.TypePrefix + "invalid-period";
    public const string ProviderInactive = ProblemTypes.TypePrefix + "provider-inactive";

    public ReturnLimits Limits => limits;

    /// <summary>The provider exists, the caller may send for it, the month is valid, has started and the provider was active in
    /// it.</summary>
    public async Task<(ReturnTarget? Target, ProblemHttpResult? Refusal)> CheckAsync(string code, string period, Caller caller,
        CancellationToken ct)
    {
        var provider = await organisations.ProviderAsync(code, ct);
        if (provider is null) return (null, Problems.NotFound($"There is no provider '{ReturnFormat.Echo(code)}'."));
        var mayUpload = caller.Role == Role.Admin || (caller.Role == Role.Provider && caller.OrganisationCode == provider.Code);
        if (!mayUpload) return (null, Problems.Forbidden($"This key may not upload returns for provider {provider.Code}."));
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (!ReturnPeriod.TryParse(period, out var month))
            return (null, Problems.Problem(400, "Not a valid month", Says.NotAMonth.Detail(today), InvalidPeriod));
        if (month.FirstDay > today)
            return (null, Problems.Problem(400, "That month has not started", Says.MonthNotStarted.Detail(month), InvalidPeriod));
        if (!(provider.ActiveFrom <= month.LastDay && (provider.ActiveTo is null || provider.ActiveTo >= month.FirstDay)))
            return (null, Problems.Problem(409, "The provider was not active that month",
                $"Provider {provider.Code} is registered as active from {provider.ActiveFrom:yyyy-MM-dd}{(provider.ActiveTo is { } to ? $" to {to:yyyy-MM-dd}" : "")}; ask an administrator if that is wrong.",
                ProviderInactive));
        return (new ReturnTarget(provider, month), null);
    }

    /// <summary>The submission an Idempotency-Key already recorded for this caller, if any.</summary>
    public Task<SubmissionView?> ReplayAsync(Caller caller, string idempotencyKey, CancellationToken ct) =>
        idempotencyKey.Length == 0 || caller.KeyId is not { } key ? Task.FromResult<SubmissionView?>(null)
            : store.FindByIdempotencyKeyAsync(key, idempotencyKey, ct);

    /// <summary>Streams the file to the spool, then records the submission and queues its job (or answers with the same file's).</summary>
    public async Task<Received> SendAsync(ReturnTarget target, Stream file, Caller caller, string idempotencyKey, string? remoteAddress,
        CancellationToken ct)
    {
        SpooledUpload upload;
        try
        {
            upload = await spool.WriteAsync(file, limits.MaxBytes, ct);
        }
        catch (UploadTooLargeException tooLarge)
        {
            return Refused(TooLarge(tooLarge.Limit));
        }
        catch (Exception exception) when (IsBrokenBody(exception))
        {
            return Refused(BrokenBody(exception)); // the spool has deleted what it wrote
        }

        var provider = target.Provider.Code;
        var month = target.Period.ToString();
        long id;
        for (var attempt = 1; ; attempt++)
        {
            if (await store.FindSameFileAsync(provider, month, upload.Sha256, ct) is { } same)
            {
                await spool.DeleteAsync(upload.UploadId, ct);
                return new Received(same, false, null);
            }
            try
            {
                id = await RecordAsync(caller, remoteAddress, provider, month, upload, idempotencyKey, ct);
                break;
            }
            catch (Exception exception) when (Database.IsUniqueViolation(exception))
            {
                // The same file, or the same Idempotency-Key, arrived at the same moment. Answer with the one that won;
                // if that one has been superseded since, this upload is a submission of its own: try again.
                if (await ReplayAsync(caller, idempotencyKey, ct) is { } concurrent)
                {
                    await spool.DeleteAsync(upload.UploadId, CancellationToken.None);
                    return new Received(concurrent, false, null);
                }
                if (attempt == 3)
                {
                    await spool.DeleteAsync(upload.UploadId, CancellationToken.None);
                    return Refused(Problems.Conflict("The same file was being recorded by another request at this moment; send it again."));
                }
            }
        }

        jobs.Enqueue<SubmissionJob>(job => job.ProcessAsync(id, CancellationToken.None));
        return new Received((await store.GetAsync(id, ct))!.Submission, true, null);
    }

    private async Task<long> RecordAsync(Caller caller, string? remoteAddress, string provider, string month, SpooledUpload upload,
        string idempotencyKey, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        var id = await connection.ExecuteScalarAsync<long>(db[SubmissionStore.Insert], new
        {
            provider,
            period = month,
            keyId = caller.KeyId,
            now,
            sha = upload.Sha256,
            bytes = upload.Bytes,
            uploadId = upload.UploadId,
        }, transaction);
        // An Idempotency-Key belongs to a program's key; a person sending through the page has none.
        if (idempotencyKey.Length > 0 && caller.KeyId is not null)
            await connection.ExecuteAsync(db[SubmissionStore.InsertIdempotencyKey], new { keyId = caller.KeyId, idempotencyKey, id, now },
                transaction);
        await audit.WriteAsync(connection, transaction, caller, "return.uploaded", $"submission/{id}",
            $"provider={provider} period={month} bytes={upload.Bytes} sha256={upload.Sha256}", remoteAddress);
        await transaction.CommitAsync(ct);
        return id;
    }

    /// <summary>The dry run: the same validator, the same verdict and findings, and nothing stored.</summary>
    public async Task<(DryRunResult? Result, ProblemHttpResult? Refusal)> CheckOnlyAsync(ReturnTarget target, Stream file,
        CancellationToken ct)
    {
        // Spooled to a temporary file (deleted on close) so that the validator can read it twice, as the job does.
        var path = Path.GetTempFileName();
        await using var spooled = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, 1 << 16,
            FileOptions.DeleteOnClose);
        var buffer = new byte[1 << 16];
        long total = 0;
        try
        {
            for (int read; (read = await file.ReadAsync(buffer, ct)) > 0;)
            {
                total += read;
                if (total > limits.MaxBytes) return (null, TooLarge(limits.MaxBytes));
                await spooled.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
        catch (Exception exception) when (IsBrokenBody(exception))
        {
            return (null, BrokenBody(exception));
        }
        await spooled.FlushAsync(ct);

        var context = await contexts.LoadAsync(target.Provider.Code, target.Period, ct);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var outcome = await OwnThread.Run(() => validator.Validate(
            () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16),
            target.Provider.Code, target.Period, today, context));
        return (new DryRunResult(target.Provider.Code, target.Period.ToString(),
            (outcome.Accepted ? SubmissionStatus.Accepted : SubmissionStatus.Rejected).Name(), outcome.Rows, outcome.Findings.Errors,
                outcome.Findings.Warnings, outcome.Findings.Findings), null);
    }

    private static Received Refused(ProblemHttpResult refusal) => new(null, false, refusal);

    public static ProblemHttpResult TooLarge(long limit) => Problems.Problem(413, "The file is too large", Says.UploadTooLarge.Detail(limit));

    /// <summary>A body that ends early (a multipart body with no closing boundary) or breaks multipart's limits (a part's headers over 16
    /// KB).</summary>
    public static bool IsBrokenBody(Exception exception) => exception is IOException or InvalidDataException;

    public static ProblemHttpResult BrokenBody(Exception exception) => Problems.Problem(400, "Broken multipart body",
        exception is InvalidDataException
            ? "A part of the multipart body breaks its limits: each part's headers are at most 16 KB."
            : "The body ended before the multipart body did: its closing boundary is missing, or the upload was cut off.");
}
