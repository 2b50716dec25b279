using System.Text.Json;
using IpsOutcomes.Audit;
using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace IpsOutcomes.Equality;

/// <summary>
/// Resolves an equality request for the report route, its forest chart and the pages alike, so that scope,
/// disclosure, audit and the ETag cannot drift between them.
/// </summary>
public sealed class EqualityFigures(IndicatorService service, ReferenceDataStore references, AuditLog audit, IndicatorLimits limits,
    IMemoryCache cache, IOptions<JsonOptions> json)
{
    /// <summary>An equality request resolved: parsed, scoped and audited; its answer is the report and its JSON, built once per data
    /// version.</summary>
    public async Task<Resolution<(EqualityReportView View, byte[] Json)>> ReportAsync(EqualityRequest request, Caller caller,
        HttpContext http, CancellationToken ct)
    {
        static Resolution<(EqualityReportView, byte[])> Refused(IResult problem)
            => Resolution<(EqualityReportView, byte[])>.Refused(problem);
        var (level, code, periodType, month, from, to, breakdown, indicator, referenceGroupAsked, disclosure, format) = request;
        var outcomeIndicator = indicator ?? "employment_rate";
        var (query, errors) = IndicatorQuery.Parse(new IndicatorRequest(level, code, null, periodType, month, from, to,
            "accessed," + outcomeIndicator, breakdown ?? "ethnic_group", disclosure, format), limits.MaxSeriesMonths);
        if (query is not null && query.Breakdown is not (Breakdown.EthnicGroup or Breakdown.EthnicCategory or Breakdown.WhiteBritish))
            errors["breakdown"] = ["The equality report breaks down by ethnic_group, ethnic_category or white_british."];
        if (IndicatorCatalogue.ById.TryGetValue(outcomeIndicator, out var definition) && definition.Measure.Kind != MeasureKind.Share)
            errors["indicator"] = ["The outcome comparison takes a percentage indicator, such as employment_rate or rapid_job_search_pct."];
        if (query is not null && query.Level != OrganisationLevel.England && query.Code is null) errors["code"] = ["Name the organisation (code=...)."];
        var groups = query is null ? [] : Breakdowns.Groups(query.Breakdown);
        var referenceGroup = referenceGroupAsked
            ?? query?.Breakdown switch { Breakdown.EthnicCategory => "A", Breakdown.WhiteBritish => "white_british", _ => "white" };
        if (query is not null && !groups.Where((_, i) => !Breakdowns.IsUnknownEthnicity(query.Breakdown, i)).Contains(referenceGroup))
            errors["reference_group"] = [$"reference_group is one of the known groups of the breakdown: {string.Join(", ", groups.Where((_, i) => !Breakdowns.IsUnknownEthnicity(query.Breakdown, i)))}."];
        if (query is null || errors.Count > 0) return Refused(Problems.Invalid(errors));
        if (IndicatorAccess.SeesOwnExact(caller, query.Level, query.Code, disclosure)) query = query with { Exact = true };

        // The report is built from the cells as the indicators publish them. A warm request reads nothing from the
        // database but its key: the organisations come with the cached result.
        var cached = await service.CachedAsync(query, ct);
        var organisations = cached?.Organisations ?? await service.OrganisationsAsync(query.Level, query.Code, null, ct);
        if (organisations is null) return Refused(Problems.NotFound($"There is no {query.Level.ToString().ToLowerInvariant()} '{Returns.ReturnFormat.Echo(query.Code ?? "")}'."));
        if (await IndicatorAccess.AuthoriseAsync(caller, organisations, query.Exact, query.Canonical + "|equality", audit, http,
            ct) is { } forbidden) return Refused(forbidden);

        return new(null, query.Canonical + referenceGroup, async () =>
        {
            var result = cached ?? await service.ComputeAsync(query, organisations, ct);
            return await cache.GetOrCreateAsync((result.Version, "equality", query.Canonical, referenceGroup), async entry =>
            {
                entry.SlidingExpiration = TimeSpan.FromMinutes(30);
                var view = await EqualityReports.BuildAsync(references.Tables(), result, query, organisations[0], groups, outcomeIndicator,
                    referenceGroup, ct);
                var bytes = JsonSerializer.SerializeToUtf8Bytes(view, json.Value.SerializerOptions);
                entry.Size = 4L * bytes.Length; // the view's objects and its JSON
                return (View: view, Json: bytes);
            });
        })
        {
            Providers = Organisation.ProvidersOf(organisations),
        };
    }
}
