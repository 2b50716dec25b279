using IpsOutcomes.Audit;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Returns;

namespace IpsOutcomes.Indicators;

/// <summary>
/// Resolves an indicator request for the indicator route, its charts and the pages alike, so that scope, disclosure,
/// audit, the row budget and the ETag cannot drift between them.
/// </summary>
public sealed class IndicatorFigures(IndicatorService service, AuditLog audit, IndicatorLimits limits)
{
    /// <summary>The rows of work a request costs (<see cref="IndicatorAccess.Work"/>): the comparators its organisations have, and every
    /// peer for quartiles.</summary>
    internal async Task<long> WorkAsync(IndicatorQuery query, IReadOnlyList<Organisation> organisations, IReadOnlyList<string> comparators,
        bool quartile, bool trend, CancellationToken ct)
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
    public async Task<Resolution<(IndicatorQuery Query, IndicatorResult Result)>> ValuesAsync(IndicatorRequest request, Dictionary<string,
        string[]> errors, Caller caller, HttpContext http, CancellationToken ct) =>
        (await ResolveAsync(request, errors, caller, http, ct)).Figures;

    /// <summary><see cref="ValuesAsync"/>, with the query and the organisations it resolved (null when refused).</summary>
    internal async Task<(Resolution<(IndicatorQuery Query, IndicatorResult Result)> Figures, IndicatorQuery? Query,
        IReadOnlyList<Organisation>? Organisations)>
        ResolveAsync(IndicatorRequest request, Dictionary<string, string[]> errors, Caller caller, HttpContext http, CancellationToken ct)
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
        if (await IndicatorAccess.AuthoriseAsync(caller, organisations, query.Exact, query.Canonical, audit, http,
            ct) is { } forbidden) return Refused(forbidden);
        if (cached is null
            && IndicatorAccess.TooLarge(query, organisations.Count, limits.MaxRows) is { } tooLarge) return Refused(tooLarge);
        return (new(null, query.Canonical, async () => (query, cached ?? await service.ComputeAsync(query, organisations, ct)))
        {
            Providers = Organisation.ProvidersOf(organisations),
        }, query, organisations);
    }

    private static (Resolution<(IndicatorQuery, IndicatorResult)>, IndicatorQuery?,
        IReadOnlyList<Organisation>?) Refused(IResult problem) =>
        (Resolution<(IndicatorQuery, IndicatorResult)>.Refused(problem), null, null);
}
