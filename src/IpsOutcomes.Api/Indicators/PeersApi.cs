using IpsOutcomes.Audit;
using IpsOutcomes.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IpsOutcomes.Indicators;

/// <summary>An organisation among its peers (comparisons.md): quartiles and funnel limits around England.</summary>
public static class PeersApi
{
    public static IEndpointRouteBuilder MapPeers(this IEndpointRouteBuilder api)
    {
        api.MapGet("/indicators/funnel", Funnel).WithTags("Indicators").WithName("GetFunnel")
            .WithSummary("A funnel plot's data for a percentage indicator: every provider (or ICB) with its position against England's proportion, the 95% and 99.8% limit curves, and the quartiles")
            .Produces<FunnelReport>(200);
        return api;
    }

    private static async Task<Results<Ok<FunnelReport>, ProblemHttpResult, ValidationProblem>> Funnel([AsParameters] IndicatorRequest request,
        Caller caller, IndicatorService service, AuditLog audit, IndicatorLimits limits, HttpContext http, CancellationToken ct)
    {
        var (query, errors) = IndicatorQuery.Parse(request with { Level = request.Level ?? "provider" }, limits.MaxSeriesMonths);
        if (query is not null)
        {
            if (query.Indicators.Count != 1 || IndicatorCatalogue.ById[query.Indicators[0]].Measure.Kind != MeasureKind.Share)
                errors["indicators"] = ["A funnel plot is for one percentage indicator (indicators=employment_rate, say)."];
            if (query.Level is not (OrganisationLevel.Provider or OrganisationLevel.Icb)) errors["level"] = ["A funnel plot's peers are providers or ICBs."];
            if (query.FromMonth != query.ToMonth) errors["month"] = ["A funnel plot is for one period: give month=yyyy-MM."];
            if (query.Code is not null) errors["code"] = ["A funnel plot shows every peer: leave out code (use within= for one ICB's providers)."];
            if (query.Breakdown != Breakdown.None) errors["breakdown"] = ["A funnel plot has no breakdown."];
        }
        if (query is null || errors.Count > 0) return Problems.Invalid(errors);

        var peers = await service.OrganisationsAsync(query.Level, null, query.Within, ct);
        if (peers is null) return Problems.NotFound($"There is no ICB '{Returns.ReturnFormat.Echo(query.Within ?? "")}'.");
        if (IndicatorAccess.Authorise(caller, peers, query.Exact) is { } forbidden) return forbidden;
        if (IndicatorAccess.UsesPermission(caller, peers, query.Exact))
            await audit.WriteAsync(caller, IndicatorAccess.ExactFiguresAction, http.Request.Path + http.Request.QueryString, query.Canonical + "|funnel",
                http.Connection.RemoteIpAddress?.ToString(), ct);
        if (IndicatorAccess.TooLarge(query, peers.Count, limits.MaxRows) is { } tooLarge) return tooLarge;

        var rows = (await service.ComputeAsync(query, peers, ct)).Rows;
        // The centre line is England's proportion, exact only for a key that may see England exact.
        var englandQuery = query with { Level = OrganisationLevel.England, Code = null, Within = null, Exact = query.Exact && caller.ReachesEverything };
        var england = (await service.ComputeAsync(englandQuery, (await service.OrganisationsAsync(OrganisationLevel.England, null, null, ct))!, ct)).Rows.FirstOrDefault();
        var shown = rows.Where(r => r.Value is not null && r.Denominator is > 0).ToList();
        var quartiles = Comparisons.QuartilesOf(shown.Select(r => r.Value!.Value));
        var p0 = england?.Value / 100;

        var points = rows.Select(r =>
        {
            FunnelPosition? position = p0 is { } centre && r.Value is { } value && r.Denominator is { } n and > 0
                ? Comparisons.PositionIn(value / 100, Comparisons.Funnel(centre, n)) : null;
            int? quartile = quartiles is { } q && r.Value is { } v ? Comparisons.QuartileOf(v, q) : null;
            return new FunnelPoint(r.OrganisationCode, r.OrganisationName, r.Numerator, r.Denominator, r.Value, position, quartile);
        }).ToList();
        var curve = p0 is { } p && shown.Count > 0 ? Curve(p, shown.Max(r => r.Denominator!.Value)) : [];
        var period = rows.FirstOrDefault()?.Period ?? england?.Period ?? "";
        return TypedResults.Ok(new FunnelReport(query.Indicators[0], query.Level.ToString().ToLowerInvariant(), rows.FirstOrDefault()?.PeriodType ?? "",
            period, "england", england?.Value, quartiles, points, curve, (await service.DataVersionAsync(ct))));
    }

    /// <summary>The limits at 50 denominators from 1 to the largest, spaced evenly on a log scale, in percent.</summary>
    private static List<FunnelLimitPoint> Curve(double p0, long largest)
    {
        static double Percent(double p) => Math.Round(p * 100, 2);
        return Enumerable.Range(0, 50).Select(i => (long)Math.Round(Math.Pow(Math.Max(largest, 2), i / 49.0))).Distinct()
            .Select(n => (n, limits: Comparisons.Funnel(p0, n)))
            .Select(x => new FunnelLimitPoint(x.n, Percent(x.limits.Lower95), Percent(x.limits.Upper95), Percent(x.limits.Lower998), Percent(x.limits.Upper998)))
            .ToList();
    }
}
