using IpsOutcomes.Infrastructure;
using IpsOutcomes.Returns;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IpsOutcomes.Submissions;

public static class SubmissionsApi
{
    public static IEndpointRouteBuilder MapSubmissions(this IEndpointRouteBuilder api)
    {
        var submissions = api.MapGroup("/submissions").WithTags("Submissions");
        submissions.MapGet("/", List).WithName("ListSubmissions")
            .WithSummary("Submissions this key may see, newest first; filter by provider, period (yyyy-MM) and status");
        submissions.MapGet("/{id:long}", Get).WithName("GetSubmission").WithSummary("A submission's status and progress");
        submissions.MapGet("/{id:long}/findings", Findings).WithName("GetFindings")
            .WithSummary("A submission's findings, in file order: JSON (paged), or CSV for a spreadsheet (Accept: text/csv or ?format=csv). "
                + "For an ICB or national key without the unsuppressed permission: one count per rule, under 5 hidden and others rounded to 5, no lines")
            .Produces<FindingPage>(200, "application/json", "text/csv")
            .AddOpenApiOperationTransformer(async (operation, context, ct) =>
            {
                // One status, two shapes: the list, or the per-rule summary for keys that may not see the list.
                var summary = await context.GetOrCreateSchemaAsync(typeof(FindingSummary), null, ct);
                foreach (var media in operation.Responses!["200"].Content!.Values)
                    media.Schema = new Microsoft.OpenApi.OpenApiSchema { OneOf = [media.Schema!, summary] };
            });
        return api;
    }

    private static async Task<Results<Ok<SubmissionPage>, ValidationProblem>> List(
        [AsParameters] SubmissionListRequest request, Caller caller, SubmissionStore store, CancellationToken ct)
    {
        var (provider, period, status) = (request.Provider, request.Period, request.Status);
        var errors = new Dictionary<string, string[]>();
        if (status is not null && !SubmissionStatuses.ByName.ContainsKey(status))
            errors["status"] = [$"status is one of {string.Join(", ", SubmissionStatuses.ByName.Keys)}."];
        if (period is not null && !ReturnPeriod.TryParse(period, out _)) errors["period"] = ["period is a month, yyyy-MM."];
        if (request.Page < 1) errors["page"] = ["page starts at 1."];
        if (request.PageSize is < 1 or > 500) errors["page_size"] = ["page_size is 1 to 500."];
        if (errors.Count > 0) return Problems.Invalid(errors);
        var (page, size) = (request.Page ?? 1, request.PageSize ?? 50);
        // The key's scope narrows whatever filter was asked for.
        var providerFilter = caller.Role == Role.Provider ? caller.OrganisationCode : provider?.ToUpperInvariant();
        if (caller.Role == Role.Provider && provider is not null
            && !provider.Equals(caller.OrganisationCode, StringComparison.OrdinalIgnoreCase))
            return TypedResults.Ok(new SubmissionPage([], page, size));
        var icbFilter = caller.Role == Role.Icb ? caller.OrganisationCode : null;
        var items = await store.ListAsync(providerFilter, icbFilter, period, status is null ? null : SubmissionStatuses.ByName[status],
            page, size, ct);
        return TypedResults.Ok(new SubmissionPage(items.Select(s => s.SeenBy(caller)).ToList(), page, size));
    }

    private static async Task<Results<Ok<SubmissionView>,
        ProblemHttpResult>> Get(long id, Caller caller, SubmissionStore store, CancellationToken ct)
    {
        var found = await store.GetAsync(id, ct);
        // A submission outside the key's scope is not found: ids are sequential and must not reveal others' activity.
        if (found is null || !caller.CanReadProvider(found.Submission.ProviderCode, found.IcbCode))
            return Problems.NotFound($"There is no submission {id} for this key.");
        return TypedResults.Ok(found.Submission.SeenBy(caller));
    }

    private static async Task<Results<Ok<FindingPage>, Ok<FindingSummary>, EmptyHttpResult, ProblemHttpResult, ValidationProblem>> Findings(
        long id, [AsParameters] FindingsRequest request, Caller caller, [AsParameters] FindingsReading reading, CancellationToken ct)
    {
        var (store, findings, http) = reading;
        var found = await store.GetAsync(id, ct);
        if (found is null || !caller.CanReadProvider(found.Submission.ProviderCode, found.IcbCode))
            return Problems.NotFound($"There is no submission {id} for this key.");
        if (request.Page < 1 || request.PageSize is < 1 or > 5000) return Problems.Invalid("page", "page starts at 1; page_size is 1 to 5000.");
        if (CsvOutput.Wanted(http.Request, request.Format))
        {
            http.Response.ContentType = CsvOutput.ContentType;
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"submission-{id}-findings.csv\"";
            await findings.WriteCsvAsync(http.Response.Body, id, caller, ct);
            return TypedResults.Empty;
        }
        if (!FindingStore.ListsFindings(caller)) return TypedResults.Ok(await findings.SummaryAsync(id, ct));

        var size = request.PageSize ?? 100;
        var number = request.Page ?? 1;
        var (items, total) = await findings.FilteredPageAsync(id, null, null, number, size, FindingStore.ShowsRowValues(caller), ct);
        return TypedResults.Ok(new FindingPage(id, items, number, size, total));
    }
}

/// <summary>What reading a submission's findings needs (named unlike any query parameter: an <c>[AsParameters]</c> record shares their
/// namespace).</summary>
public sealed record FindingsReading(SubmissionStore SubmissionStore, FindingStore FindingStore, HttpContext Http);
