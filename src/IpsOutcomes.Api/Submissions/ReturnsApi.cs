using System.Text;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Returns;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace IpsOutcomes.Submissions;

public static class ReturnsApi
{
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
                for (var section = await reader.ReadNextSectionAsync(ct); section is not null;
                     section = await reader.ReadNextSectionAsync(ct))
                    if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                        && disposition.Name.Value?.Trim('"') == "file")
                        return (section.Body, null);
            }
            catch (Exception exception) when (ReturnIntake.IsBrokenBody(exception))
            {
                return (null, ReturnIntake.BrokenBody(exception));
            }
            return (null, Problems.Problem(400, "No file", "The multipart body has no field named 'file'."));
        }
        return (request.Body, null);
    }

    private static async Task<Results<Accepted<SubmissionView>, Ok<SubmissionView>, ProblemHttpResult>> Upload(
        string code, string period, Caller caller, HttpRequest request, ReturnIntake intake, CancellationToken ct)
    {
        var (target, refusal) = await intake.CheckAsync(code, period, caller, ct);
        if (target is null) return refusal!;
        var idempotencyKey = request.Headers["Idempotency-Key"].ToString();
        if (idempotencyKey.Length > 200) return Problems.Problem(400, "Idempotency-Key too long", "An Idempotency-Key is at most 200 characters.");
        if (await intake.ReplayAsync(caller, idempotencyKey, ct) is { } replayed) return TypedResults.Ok(replayed);

        var (file, fileProblem) = await FileOf(request, ct);
        if (file is null) return fileProblem!;
        var received = await intake.SendAsync(target, file, caller, idempotencyKey,
            request.HttpContext.Connection.RemoteIpAddress?.ToString(), ct);
        if (received.Refusal is { } refused) return refused;
        return received.IsNew ? TypedResults.Accepted(received.Submission!.Self, received.Submission)
            : TypedResults.Ok(received.Submission);
    }

    private static async Task<Results<Ok<DryRunResult>, ProblemHttpResult>> DryRun(
        string code, string period, Caller caller, HttpRequest request, ReturnIntake intake, CancellationToken ct)
    {
        var (target, refusal) = await intake.CheckAsync(code, period, caller, ct);
        if (target is null) return refusal!;
        var (file, fileProblem) = await FileOf(request, ct);
        if (file is null) return fileProblem!;
        var (result, problem) = await intake.CheckOnlyAsync(target, file, ct);
        return result is null ? problem! : TypedResults.Ok(result);
    }

    private static ContentHttpResult Template() => TypedResults.Text(ReturnFormat.Template, CsvOutput.ContentType, Encoding.UTF8);
}
