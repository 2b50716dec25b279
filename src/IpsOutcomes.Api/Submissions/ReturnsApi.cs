using System.Text;
using Dapper;
using Hangfire;
using IpsOutcomes.Audit;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Organisations;
using IpsOutcomes.Returns;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace IpsOutcomes.Submissions;

public static class ReturnsApi
{
    public const string InvalidPeriod = ProblemTypes.TypePrefix + "invalid-period";
    public const string ProviderInactive = ProblemTypes.TypePrefix + "provider-inactive";

    // Routing answers 415 for any other Content-Type; the OpenAPI document lists these.
    private static readonly string[] UploadTypes =
        ["multipart/form-data", "text/csv", "application/csv", "text/plain", "application/octet-stream", "application/vnd.ms-excel"];

    private sealed record UploadLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;

    public static IEndpointRouteBuilder MapReturns(this IEndpointRouteBuilder api)
    {
        var limits = api.ServiceProvider.GetRequiredService<ReturnLimits>();
        // Multipart framing adds a little to the file itself.
        var uploadLimit = new UploadLimit(limits.MaxBytes + 64 * 1024);

        var returns = api.MapGroup("").WithTags("Returns");
        returns.MapPost("/providers/{code}/returns/{period}", Upload).WithMetadata(uploadLimit).RequireRateLimiting(RateLimits.Uploads)
            .WithName("UploadReturn")
            .WithSummary("Upload a provider's monthly return (multipart field 'file', or a text/csv body); 202 with the submission")
            .Accepts<IFormFile>(UploadTypes[0], UploadTypes[1..]);
        returns.MapPost("/providers/{code}/returns/{period}/validate", DryRun).WithMetadata(uploadLimit).RequireRateLimiting(RateLimits.Uploads)
            .WithName("ValidateReturn")
            .WithSummary("Validate a return without storing anything: the same validator, the same verdict and findings")
            .Accepts<IFormFile>(UploadTypes[0], UploadTypes[1..]);
        returns.MapGet("/returns/template", Template).WithName("GetReturnTemplate")
            .WithSummary("A template return: the header and one example row").Produces(200, null, "text/csv");
        returns.MapGet("/returns/rules", () => TypedResults.Ok(ReturnRules.All)).WithName("ListReturnRules")
            .WithSummary("Every validation rule, its code and severity");
        return api;
    }

    private sealed record Checked(Provider Provider, ReturnPeriod Period);

    /// <summary>The checks an upload and a dry run share: the provider exists, the key may upload for it, the month is valid.</summary>
    private static async Task<(Checked? Ok, ProblemHttpResult? Problem)> CheckAsync(string code, string period, Caller caller,
        Database db, TimeProvider clock, CancellationToken ct)
    {
        var provider = await Provider.FindAsync(db, code, ct);
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
        return (new Checked(provider, month), null);
    }

    /// <summary>The uploaded file: the multipart field 'file', or the whole body when it is sent as CSV.</summary>
    private static async Task<(Stream? File, ProblemHttpResult? Problem)> FileOf(HttpRequest request, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type))
            return (null, Problems.Problem(415, "Send the return as CSV", "Send multipart/form-data with a 'file' field, or a text/csv body."));
        if (type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
            if (string.IsNullOrEmpty(boundary)) return (null, Problems.Problem(400, "Broken multipart body", "The multipart body has no boundary."));
            var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = null };
            try
            {
                for (var section = await reader.ReadNextSectionAsync(ct); section is not null; section = await reader.ReadNextSectionAsync(ct))
                    if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                        && disposition.Name.Value?.Trim('"') == "file")
                        return (section.Body, null);
            }
            catch (Exception exception) when (IsBrokenBody(exception))
            {
                return (null, BrokenBody(exception));
            }
            return (null, Problems.Problem(400, "No file", "The multipart body has no field named 'file'."));
        }
        return (request.Body, null);
    }

    /// <summary>A body that ends early (a multipart body with no closing boundary) or breaks multipart's limits (a part's headers over 16 KB).</summary>
    private static bool IsBrokenBody(Exception exception) => exception is IOException or InvalidDataException;

    private static ProblemHttpResult BrokenBody(Exception exception) => Problems.Problem(400, "Broken multipart body",
        exception is InvalidDataException
            ? "A part of the multipart body breaks its limits: each part's headers are at most 16 KB."
            : "The body ended before the multipart body did: its closing boundary is missing, or the upload was cut off.");

    /// <summary>What receiving a return needs, bound as one parameter.</summary>
    public sealed record UploadServices(Database Db, UploadSpool Spool, SubmissionStore Store, IBackgroundJobClient Jobs, ReturnLimits Limits,
        AuditLog Audit, TimeProvider Clock);

    /// <summary>What a dry run needs, bound as one parameter.</summary>
    public sealed record DryRunServices(Database Db, ReturnValidator Validator, ValidationContextLoader Contexts, ReturnLimits Limits, TimeProvider Clock);

    private static async Task<Results<Accepted<SubmissionView>, Ok<SubmissionView>, ProblemHttpResult>> Upload(
        string code, string period, Caller caller, HttpRequest request, [AsParameters] UploadServices services, CancellationToken ct)
    {
        var (db, spool, store, jobs, limits, audit, clock) = services;
        var (ok, problem) = await CheckAsync(code, period, caller, db, clock, ct);
        if (ok is null) return problem!;
        var idempotencyKey = request.Headers["Idempotency-Key"].ToString();
        if (idempotencyKey.Length > 200) return Problems.Problem(400, "Idempotency-Key too long", "An Idempotency-Key is at most 200 characters.");
        if (idempotencyKey.Length > 0 && await store.FindByIdempotencyKeyAsync(caller.KeyId, idempotencyKey, ct) is { } replayed)
            return TypedResults.Ok(replayed);

        var (file, fileProblem) = await FileOf(request, ct);
        if (file is null) return fileProblem!;
        SpooledUpload upload;
        try
        {
            upload = await spool.WriteAsync(file, limits.MaxBytes, ct);
        }
        catch (UploadTooLargeException tooLarge)
        {
            return Problems.Problem(413, "The file is too large", Says.UploadTooLarge.Detail(tooLarge.Limit));
        }
        catch (Exception exception) when (IsBrokenBody(exception))
        {
            return BrokenBody(exception); // the spool has deleted what it wrote
        }

        var provider = ok.Provider.Code;
        var month = ok.Period.ToString();
        long id;
        for (var attempt = 1; ; attempt++)
        {
            if (await store.FindSameFileAsync(provider, month, upload.Sha256, ct) is { } same)
            {
                await spool.DeleteAsync(upload.UploadId, ct);
                return TypedResults.Ok(same);
            }
            try
            {
                id = await RecordAsync(db, audit, caller, request, provider, month, upload, idempotencyKey, clock, ct);
                break;
            }
            catch (Exception exception) when (Database.IsUniqueViolation(exception))
            {
                // The same file, or the same Idempotency-Key, arrived at the same moment. Answer with the one that won;
                // if that one has been superseded since, this upload is a submission of its own: try again.
                if (idempotencyKey.Length > 0 && await store.FindByIdempotencyKeyAsync(caller.KeyId, idempotencyKey, ct) is { } concurrent)
                {
                    await spool.DeleteAsync(upload.UploadId, CancellationToken.None);
                    return TypedResults.Ok(concurrent);
                }
                if (attempt == 3)
                {
                    await spool.DeleteAsync(upload.UploadId, CancellationToken.None);
                    return Problems.Conflict("The same file was being recorded by another request at this moment; send it again.");
                }
            }
        }

        jobs.Enqueue<SubmissionJob>(job => job.ProcessAsync(id, CancellationToken.None));
        var created = (await store.GetAsync(id, ct))!.Submission;
        return TypedResults.Accepted(created.Self, created);
    }

    private static async Task<long> RecordAsync(Database db, AuditLog audit, Caller caller, HttpRequest request, string provider, string month,
        SpooledUpload upload, string idempotencyKey, TimeProvider clock, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        var id = await connection.ExecuteScalarAsync<long>(db[SubmissionStore.Insert], new
        {
            provider, period = month, keyId = caller.KeyId, now, sha = upload.Sha256, bytes = upload.Bytes, uploadId = upload.UploadId,
        }, transaction);
        if (idempotencyKey.Length > 0)
            await connection.ExecuteAsync(db[SubmissionStore.InsertIdempotencyKey], new { keyId = caller.KeyId, idempotencyKey, id, now }, transaction);
        await audit.WriteAsync(connection, transaction, caller, "return.uploaded", $"submission/{id}",
            $"provider={provider} period={month} bytes={upload.Bytes} sha256={upload.Sha256}", request.HttpContext.Connection.RemoteIpAddress?.ToString());
        await transaction.CommitAsync(ct);
        return id;
    }

    private static async Task<Results<Ok<DryRunResult>, ProblemHttpResult>> DryRun(
        string code, string period, Caller caller, HttpRequest request, [AsParameters] DryRunServices services, CancellationToken ct)
    {
        var (db, validator, contexts, limits, clock) = services;
        var (ok, problem) = await CheckAsync(code, period, caller, db, clock, ct);
        if (ok is null) return problem!;
        var (file, fileProblem) = await FileOf(request, ct);
        if (file is null) return fileProblem!;

        // Spooled to a temporary file (deleted on close) so that the validator can read it twice, as the job does.
        var path = Path.GetTempFileName();
        await using var spooled = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, 1 << 16, FileOptions.DeleteOnClose);
        var buffer = new byte[1 << 16];
        long total = 0;
        try
        {
            for (int read; (read = await file.ReadAsync(buffer, ct)) > 0;)
            {
                total += read;
                if (total > limits.MaxBytes) return Problems.Problem(413, "The file is too large", Says.UploadTooLarge.Detail(limits.MaxBytes));
                await spooled.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
        catch (Exception exception) when (IsBrokenBody(exception))
        {
            return BrokenBody(exception);
        }
        await spooled.FlushAsync(ct);

        var context = await contexts.LoadAsync(ok.Provider.Code, ok.Period, ct);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var outcome = await Task.Run(() => validator.Validate(
            () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16),
            ok.Provider.Code, ok.Period, today, context), ct);
        return TypedResults.Ok(new DryRunResult(ok.Provider.Code, ok.Period.ToString(), outcome.Accepted ? "accepted" : "rejected",
            outcome.Rows, outcome.Findings.Errors, outcome.Findings.Warnings, outcome.Findings.Findings));
    }

    private static IResult Template()
    {
        var header = string.Join(",", ReturnFormat.Columns.Concat(ReturnFormat.JobFields.Select(f => ReturnFormat.JobColumn(1, f))));
        const string example = "R-000123,C-000045,2025-01-06,secondary_mental_health,A,2,34,unemployed,2025-01-13,2025-01-27,,,2025-03-03,,16,competitive";
        return TypedResults.Text(header + "\r\n" + example + "\r\n", CsvOutput.ContentType, Encoding.UTF8);
    }
}
