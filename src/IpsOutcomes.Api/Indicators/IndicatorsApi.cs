using IpsOutcomes.Audit;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Returns;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace IpsOutcomes.Indicators;

public static class IndicatorsApi
{
    public static IEndpointRouteBuilder MapIndicators(this IEndpointRouteBuilder api)
    {
        var indicators = api.MapGroup("/indicators").WithTags("Indicators");
        indicators.MapGet("/catalogue", Catalogue).WithName("GetIndicatorCatalogue")
            .WithSummary("Every indicator's definition, as data (JSON, or CSV with Accept: text/csv or ?format=csv)")
            .Produces<IReadOnlyList<IndicatorDefinition>>(200, "application/json", "text/csv");
        indicators.MapGet("/", Values).WithName("GetIndicators")
            .WithSummary("Indicator values: one row per organisation, period, indicator and breakdown group (JSON or CSV)")
            .Produces<IReadOnlyList<IndicatorValue>>(200, "application/json", "text/csv").Produces(304)
            .WithExample(ComparisonExamples.Rows, IndicatorResult.CsvOf);
        return api;
    }

    private static async Task<IResult> Catalogue(string? format, HttpContext http)
    {
        if (!CsvOutput.Wanted(http.Request, format)) return TypedResults.Ok(IndicatorCatalogue.All);
        http.Response.ContentType = CsvOutput.ContentType;
        await using var csv = CsvOutput.Writer(http.Response.Body);
        csv.WriteHeader<IndicatorDefinition>();
        await csv.NextRecordAsync();
        await csv.WriteRecordsAsync(IndicatorCatalogue.All);
        await csv.FlushAsync();
        return TypedResults.Empty;
    }

    private static async Task<IResult> Values([AsParameters] IndicatorRequest request, Caller caller, IndicatorService service, AuditLog audit,
        IndicatorLimits limits, HeavyRequests heavy, IOptions<JsonOptions> json, HttpContext http, CancellationToken ct)
    {
        var (comparators, z, errors) = Comparators.Parse(request.Compare, request.Confidence);
        if (request.Trend is not (null or "true" or "false")) errors["trend"] = ["trend is true or false."];
        if (request.Quartile is not (null or "true" or "false")) errors["quartile"] = ["quartile is true or false."];
        var (figures, query, organisations) = await ResolveAsync(request, errors, caller, service, audit, limits, http, ct);
        if (figures.Refusal is { } refusal) return refusal;
        var (trend, quartile) = (request.Trend is "true", request.Quartile is "true");
        var work = await WorkAsync(query!, organisations!, comparators, quartile, trend, service, ct);
        if (IndicatorAccess.TooLarge(query!, organisations!.Count, limits.MaxRows, work) is { } tooLarge) return tooLarge;

        var csv = CsvOutput.Wanted(http.Request, request.Format);
        // A provider's own figures are compared with its comparators as that key may see them (Comparators.CompareAsync).
        var own = query!.Exact && IndicatorAccess.AreOwn(caller, organisations);
        var annotations = comparators.Count == 0 && !trend && !quartile ? "" : $"|{string.Join(",", comparators)}|{z}|{trend}|{quartile}|{own}";
        if (Freshness.IsCurrent(http, "v", await service.DataVersionAsync(ct), figures.Asked + csv + annotations))
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);

        // A heavy request waits its turn, and its answer is streamed as it is written, never held whole.
        using var turn = work > limits.HeavyRows ? await heavy.EnterAsync(ct) : null;
        if (work > limits.HeavyRows && turn is null) return heavy.Refusal(http);
        var (_, result) = await figures.Build();
        if (annotations.Length > 0) result = await service.ComparedAsync(query, result, comparators, z, trend, quartile, own, ct);

        var gzip = http.Request.Headers.AcceptEncoding.Any(value => value?.Contains("gzip", StringComparison.OrdinalIgnoreCase) == true);
        var contentType = csv ? CsvOutput.ContentType : "application/json; charset=utf-8";
        if (gzip) http.Response.Headers.ContentEncoding = "gzip";
        if (result.Rows.Count <= IndicatorResult.EncodingsKeptUpTo) return TypedResults.Bytes(result.Encoded(csv, gzip, json.Value.SerializerOptions), contentType);
        http.Response.ContentType = contentType;
        await result.WriteAsync(http.Response.Body, csv, gzip, json.Value.SerializerOptions, ct);
        return TypedResults.Empty;
    }

    /// <summary>The rows of work a request costs (<see cref="IndicatorAccess.Work"/>): the comparators its organisations have, and every peer for quartiles.</summary>
    private static async Task<long> WorkAsync(IndicatorQuery query, IReadOnlyList<Organisation> organisations, IReadOnlyList<string> comparators,
        bool quartile, bool trend, IndicatorService service, CancellationToken ct)
    {
        var parents = organisations.Select(o => o.IcbCode).Distinct().Count();
        var comparatorOrganisations = comparators.Sum(c => c switch { "icb" or "region" => parents, "england" => 1, _ => 0 });
        var peers = quartile && query.Level is OrganisationLevel.Provider or OrganisationLevel.Icb
            ? (await service.OrganisationsAsync(query.Level, null, null, ct))?.Count ?? 0
            : 0;
        return IndicatorAccess.Work(query, organisations.Count, comparatorOrganisations, peers, trend);
    }

    /// <summary>
    /// An indicator request resolved: parsed (with any <paramref name="errors"/> the caller found in its own
    /// parameters), scoped, audited and bounded; its answer is the result, computed or cached. Charts draw the same.
    /// </summary>
    public static async Task<Figures<(IndicatorQuery Query, IndicatorResult Result)>> ValuesAsync(IndicatorRequest request, Dictionary<string, string[]> errors,
        Caller caller, IndicatorService service, AuditLog audit, IndicatorLimits limits, HttpContext http, CancellationToken ct) =>
        (await ResolveAsync(request, errors, caller, service, audit, limits, http, ct)).Figures;

    /// <summary><see cref="ValuesAsync"/>, with the query and the organisations it resolved (null when refused).</summary>
    private static async Task<(Figures<(IndicatorQuery Query, IndicatorResult Result)> Figures, IndicatorQuery? Query, IReadOnlyList<Organisation>? Organisations)>
        ResolveAsync(IndicatorRequest request, Dictionary<string, string[]> errors, Caller caller, IndicatorService service, AuditLog audit,
            IndicatorLimits limits, HttpContext http, CancellationToken ct)
    {
        var (query, parseErrors) = IndicatorQuery.Parse(request, limits.MaxSeriesMonths);
        foreach (var (field, messages) in parseErrors) errors[field] = messages;
        if (query is null || errors.Count > 0) return Refused(Problems.Invalid(errors));
        if (IndicatorAccess.SeesOwnExact(caller, query.Level, query.Code, request.Disclosure)) query = query with { Exact = true };
        if (query.Code is null && query.Level is OrganisationLevel.Provider && query.Within is null)
            return Refused(Problems.Invalid("code", "Name the provider (code=...), or list an ICB's providers with within=<ICB code>."));

        // A warm request touches the database only to check its key; the organisations come with the cached result.
        var cached = await service.CachedAsync(query, ct);
        var organisations = cached?.Organisations ?? await service.OrganisationsAsync(query.Level, query.Code, query.Within, ct);
        if (organisations is null) return Refused(Problems.NotFound($"There is no {query.Level.ToString().ToLowerInvariant()} '{ReturnFormat.Echo(query.Code ?? "")}'."));
        if (await IndicatorAccess.AuthoriseAsync(caller, organisations, query.Exact, query.Canonical, audit, http, ct) is { } forbidden) return Refused(forbidden);
        if (cached is null && IndicatorAccess.TooLarge(query, organisations.Count, limits.MaxRows) is { } tooLarge) return Refused(tooLarge);
        return (new(null, query.Canonical, async () => (query, cached ?? await service.ComputeAsync(query, organisations, ct))), query, organisations);
    }

    private static (Figures<(IndicatorQuery, IndicatorResult)>, IndicatorQuery?, IReadOnlyList<Organisation>?) Refused(IResult problem) =>
        (Figures<(IndicatorQuery, IndicatorResult)>.Refused(problem), null, null);
}
