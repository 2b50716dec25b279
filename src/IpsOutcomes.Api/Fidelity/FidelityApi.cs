using System.Text.Json;
using Hangfire;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Organisations;

namespace IpsOutcomes.Fidelity;

/// <summary>Fidelity reviews (fidelity-and-quality-mark.md): the scale's items, recording reviews as JSON or CSV, and each provider's
/// history.</summary>
public static class FidelityApi
{
    /// <summary>A file of reviews is small: one row per review.</summary>
    private const long MaxCsvBytes = 5 << 20;

    public static IEndpointRouteBuilder MapFidelity(this IEndpointRouteBuilder api)
    {
        api.MapGet("/fidelity/items", () => TypedResults.Ok(FidelityScale.Items)).WithTags("Fidelity").WithName("GetFidelityItems")
            .WithSummary("The 25 items of the IPS fidelity scale, in the scale's order, with their codes and sections");
        api.MapPost("/providers/{code}/fidelity-reviews", RecordOne).WithTags("Fidelity").WithName("RecordFidelityReview")
            .WithSummary("Record one fidelity review as JSON: review_date, kind (external or self), reviewer, notes, and scores {S1..V14: 1-5}; the same provider, date and kind again replaces it")
            .Accepts<JsonElement>("application/json").Produces<ReviewsRecorded>(200).ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        api.MapPost("/fidelity-reviews", RecordMany).WithTags("Fidelity").WithName("RecordFidelityReviews")
            .WithSummary("Record many reviews as CSV (provider_code, review_date, kind, reviewer, notes, S1..V14): every row checked, the whole file refused on any error with findings by line and column")
            .Accepts<string>("text/csv").Produces<ReviewsRecorded>(200).ProducesProblem(422).ProducesProblem(403).ProducesProblem(413)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxCsvBytes)); // the body limit the request limits enforce
        api.MapGet("/providers/{code}/fidelity-reviews", History).WithTags("Fidelity").WithName("GetFidelityReviews")
            .WithSummary("A provider's fidelity reviews, oldest first, each with its items, total and band").Produces<IReadOnlyList<FidelityReview>>(200)
            .ProducesProblem(403).ProducesProblem(404);
        return api;
    }

    private static async Task<IResult> RecordOne(string code, JsonElement body, Caller caller, [AsParameters] FidelityServices services,
        CancellationToken ct)
    {
        var (organisations, store, clock, jobs, http) = services;
        if (await organisations.ProviderAsync(code, ct) is not { } provider) return Problems.NotFound($"There is no provider '{Returns.ReturnFormat.Echo(code)}'.");
        if (MayRecord(caller, provider, "self") is { } refusal
            && MayRecord(caller, provider, "external") is not null) return Problems.Forbidden(refusal);
        var (review, findings) = ReviewChecks.Json(provider.Code, body, Context(caller, provider, clock));
        if (review is null)
            return Problems.Invalid(findings.GroupBy(f => f.Column ?? "body").ToDictionary(g => g.Key, g => g.Select(f => $"{f.Code}: {f.Message}").ToArray()));
        var (recorded, replaced) = await store.RecordAsync([review], caller, http.Connection.RemoteIpAddress?.ToString(), ct);
        CheckReadiness(jobs, [review.ProviderCode]);
        var stored = (await store.ReviewsAsync(provider.Code, ct)).Where(r => r.ReviewDate == review.ReviewDate && r.Kind == review.Kind)
            .ToList();
        return TypedResults.Ok(new ReviewsRecorded(recorded, replaced, stored));
    }

    private static async Task<IResult> RecordMany(HttpRequest request, Caller caller, [AsParameters] FidelityServices services,
        CancellationToken ct)
    {
        var (organisations, store, clock, jobs, _) = services;
        if (caller.Role is Role.National) return Problems.Forbidden("National keys read reviews; an ICB's key or an admin key records them.");
        var providers = (await organisations.ProvidersAsync(ct)).ToDictionary(p => p.Code, StringComparer.OrdinalIgnoreCase);
        using var text = new StreamReader(request.Body);
        var context = new ReviewContext(code => providers.GetValueOrDefault(code), (provider, kind) => MayRecord(caller, provider, kind),
            DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        var (reviews, findings) = ReviewChecks.Csv(new StringReader(await ReadLimitedAsync(text, ct)), context);
        if (findings.Count > 0)
            return Problems.Problem(422, "The file was not recorded", $"{findings.Count} error(s); nothing was recorded. Each finding says the line, the column and what to fix.",
                ProblemTypes.TypePrefix + "fidelity-reviews-rejected", new Dictionary<string, object?> { ["findings"] = findings });
        var (recorded, replaced) = await store.RecordAsync(reviews, caller, request.HttpContext.Connection.RemoteIpAddress?.ToString(), ct);
        CheckReadiness(jobs, reviews.Select(r => r.ProviderCode).Distinct());
        var sent = reviews.Select(r => (r.ProviderCode, r.ReviewDate, r.Kind)).ToHashSet();
        var stored = (await store.ReviewsAsync(null, ct)).Where(r => sent.Contains((r.ProviderCode, r.ReviewDate, r.Kind))).ToList();
        return TypedResults.Ok(new ReviewsRecorded(recorded, replaced, stored));
    }

    private static async Task<IResult> History(string code, Caller caller, OrganisationStore organisations, FidelityStore store,
        CancellationToken ct)
    {
        if (await organisations.ProviderAsync(code, ct) is not { } provider) return Problems.NotFound($"There is no provider '{Returns.ReturnFormat.Echo(code)}'.");
        if (!caller.CanReadProvider(provider.Code, provider.IcbCode)) return Problems.Forbidden($"This key may not read {provider.Code}.");
        return TypedResults.Ok(await store.ReviewsAsync(provider.Code, ct));
    }

    /// <summary>A review can make a provider ready, or stop it being ready: its readiness is checked (and a change announced) in the
    /// background.</summary>
    private static void CheckReadiness(IBackgroundJobClient jobs, IEnumerable<string> providers)
    {
        foreach (var provider in providers) jobs.Enqueue<QualityMarkJob>(job => job.CheckAsync(provider, CancellationToken.None));
    }

    /// <summary>Null when the key may record a review of this kind for the provider; otherwise why not.</summary>
    private static string? MayRecord(Caller caller, Provider provider, string kind) => caller.Role switch
    {
        Role.Admin => null,
        Role.Icb when caller.CanReadIcb(provider.IcbCode) => null,
        Role.Icb => $"This key may not record reviews for {provider.Code}: it is not one of {caller.OrganisationCode}'s services.",
        Role.Provider when caller.CanReadProvider(provider.Code, provider.IcbCode) && kind == "self" => null,
        Role.Provider => "A service's key records only its own self reviews (kind self); an external review is recorded by its ICB.",
        _ => "National keys read reviews; an ICB's key or an admin key records them.",
    };

    private static ReviewContext Context(Caller caller, Provider provider, TimeProvider clock) =>
        new(code => string.Equals(code, provider.Code, StringComparison.OrdinalIgnoreCase) ? provider : null,
            (p, kind) => MayRecord(caller, p, kind), DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));

    /// <summary>The body as text, refused past the limit whatever Content-Length said (a chunked body has none).</summary>
    private static async Task<string> ReadLimitedAsync(StreamReader text, CancellationToken ct)
    {
        var body = new System.Text.StringBuilder();
        var chunk = new char[1 << 16];
        for (int n; (n = await text.ReadAsync(chunk, ct)) > 0;)
        {
            body.Append(chunk, 0, n);
            if (body.Length > MaxCsvBytes) throw new BadHttpRequestException($"A file of reviews is at most {MaxCsvBytes >> 20} MB.", StatusCodes.Status413PayloadTooLarge);
        }
        return body.ToString();
    }
}

/// <summary>What recording reviews needs (named unlike any query parameter: an <c>[AsParameters]</c> record shares their
/// namespace).</summary>
public sealed record FidelityServices(OrganisationStore OrganisationStore, FidelityStore FidelityStore, TimeProvider Clock,
    IBackgroundJobClient Jobs, HttpContext Http);
