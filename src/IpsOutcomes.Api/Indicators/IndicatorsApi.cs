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
        indicators.MapGet("/", Values).WithName("GetIndicators").AsPublishable()
            .WithSummary("Indicator values: one row per organisation, period, indicator and breakdown group (JSON or CSV)")
            .Produces<IReadOnlyList<IndicatorValue>>(200, "application/json", "text/csv").Produces(304)
            .WithExample(PeerExamples.Rows, IndicatorResult.CsvOf);
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

    private static async Task<IResult> Values([AsParameters] IndicatorRequest request, Caller caller,
        [AsParameters] IndicatorAnswering answering, HttpContext http, CancellationToken ct)
    {
        var (figuresOf, service, limits, heavy, json) = answering;
        var (comparators, z, errors) = Comparators.Parse(request.Compare, request.Confidence);
        if (request.Trend is not (null or "true" or "false")) errors["trend"] = ["trend is true or false."];
        if (request.Quartile is not (null or "true" or "false")) errors["quartile"] = ["quartile is true or false."];
        var (figures, query, organisations) = await figuresOf.ResolveAsync(request, errors, caller, http, ct);
        if (figures.Refusal is { } refusal) return refusal;
        var (trend, quartile) = (request.Trend is "true", request.Quartile is "true");
        var work = await figuresOf.WorkAsync(query!, organisations!, comparators, quartile, trend, ct);
        if (IndicatorAccess.TooLarge(query!, organisations!.Count, limits.MaxRows, work) is { } tooLarge) return tooLarge;

        var csv = CsvOutput.Wanted(http.Request, request.Format);
        // A provider's own figures are compared with its comparators as that key may see them (Comparators.CompareAsync).
        var own = query!.Exact && IndicatorAccess.AreOwn(caller, organisations);
        var annotations = comparators.Count == 0 && !trend && !quartile ? "" : $"|{string.Join(",", comparators)}|{z}|{trend}|{quartile}|{own}";
        var version = await service.VersionOfAsync(await Comparators.ProvidersAsync(service, organisations, comparators, quartile, ct), ct);
        if (Freshness.IsCurrent(http, "v", version, figures.Asked + csv + annotations))
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);

        // A heavy request waits its turn, and its answer is streamed as it is written, never held whole.
        using var turn = work > limits.HeavyRows ? await heavy.EnterAsync(ct) : null;
        if (work > limits.HeavyRows && turn is null) return heavy.Refusal(http);
        var (_, result) = await figures.Build();
        if (annotations.Length > 0) result = await service.ComparedAsync(query, result, comparators, z, trend, quartile, own, version, ct);

        var gzip = http.Request.Headers.AcceptEncoding.Any(value => value?.Contains("gzip", StringComparison.OrdinalIgnoreCase) == true);
        var contentType = csv ? CsvOutput.ContentType : "application/json; charset=utf-8";
        if (gzip) http.Response.Headers.ContentEncoding = "gzip";
        if (result.Rows.Count <= IndicatorResult.EncodingsKeptUpTo) return TypedResults.Bytes(result.Encoded(csv, gzip,
            json.Value.SerializerOptions), contentType);
        http.Response.ContentType = contentType;
        await result.WriteAsync(http.Response.Body, csv, gzip, json.Value.SerializerOptions, ct);
        return TypedResults.Empty;
    }
}

/// <summary>What answering an indicator request needs: its resolution, the service, the limits, the turns heavy requests take, JSON
/// options.</summary>
public sealed record IndicatorAnswering(IndicatorFigures Figures, IndicatorService Service, IndicatorLimits Limits, HeavyRequests Heavy,
    IOptions<JsonOptions> Json);
