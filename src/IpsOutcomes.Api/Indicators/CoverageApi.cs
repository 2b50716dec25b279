using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Indicators;

/// <summary>
/// What a BI tool may ask for and what has changed: the organisations the key may read, the months each holds data
/// for and the data version its figures are at, the indicators and period types, and the data version, so an incremental refresh
/// asks only for the organisations whose version moved.
/// </summary>
public static class CoverageApi
{
    public static IEndpointRouteBuilder MapCoverage(this IEndpointRouteBuilder api)
    {
        api.MapGet("/coverage", Coverage).WithTags("Indicators").WithName("GetCoverage").AsPublishable()
            .WithSummary("Which organisations, indicators and months hold data for this key, and the data version: for incremental BI refresh")
            .Produces<CoverageReport>(200).WithExample(PeerExamples.Coverage).Produces(304);
        return api;
    }

    private static async Task<IResult> Coverage(Caller caller, IndicatorService service, HttpContext http, CancellationToken ct)
    {
        var version = await service.DataVersionAsync(ct);
        if (Freshness.IsCurrent(http, "c", version, $"coverage|{caller.Role}|{caller.OrganisationCode}"))
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);

        var months = await service.MonthsHeldAsync(ct);

        var providers = (await service.OrganisationsAsync(OrganisationLevel.Provider, null, null, ct) ?? [])
            .Where(p => caller.CanReadProvider(p.Code, p.IcbCode!)).ToList();
        var icbs = (await service.OrganisationsAsync(OrganisationLevel.Icb, null, null, ct) ?? []).Where(i => caller.CanReadIcb(i.Code))
            .ToList();
        async Task<CoverageOrganisation> Of(Organisation o)
        {
            var held = o.Providers.Where(months.ContainsKey).Select(p => months[p]).ToList();
            return new CoverageOrganisation(o.Level.ToString().ToLowerInvariant(), o.Code, o.Name,
                o.Level == OrganisationLevel.Provider ? o.IcbCode : null,
                    held.Count == 0 ? null : Period.MonthLabel(Period.MonthIndex(held.Min(p => p.FirstReferral))),
                held.Count == 0 ? null : held.Max(p => p.LatestReturn), await service.VersionOfAsync(o.Providers, ct));
        }
        var organisations = new List<CoverageOrganisation>();
        if (caller.ReachesEverything)
            organisations.Add(await Of((await service.OrganisationsAsync(OrganisationLevel.England, null, null, ct))![0]));
        foreach (var organisation in icbs.Concat(providers)) organisations.Add(await Of(organisation));
        return TypedResults.Ok(new CoverageReport(version, IndicatorCatalogue.All.Select(d => d.Id).ToList(),
            ["month", "quarter", "fytd", "rolling12"], organisations));
    }
}

/// <summary>The months an organisation holds data for (from its first referral to its latest accepted return), and the data version its
/// figures are at: unchanged while nothing they are worked out from changes, so a BI refresh can skip it.</summary>
public sealed record CoverageOrganisation(string Level, string Code, string Name, string? IcbCode, string? FirstMonth, string? LastMonth,
    long DataVersion);

public sealed record CoverageReport(long DataVersion, IReadOnlyList<string> Indicators, IReadOnlyList<string> PeriodTypes,
    IReadOnlyList<CoverageOrganisation> Organisations);
