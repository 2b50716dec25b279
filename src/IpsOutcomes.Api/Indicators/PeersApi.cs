using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Indicators;

/// <summary>An organisation among its peers and over time (comparisons.md): the funnel plot, SPC charts and the spine.</summary>
public static class PeersApi
{
    public static IEndpointRouteBuilder MapPeers(this IEndpointRouteBuilder api)
    {
        api.MapGet("/indicators/funnel", Funnel).WithTags("Indicators").WithName("GetFunnel").AsPublishable()
            .WithSummary("A funnel plot's data for a percentage indicator: every provider (or ICB) with its position against England's proportion, the 95% and 99.8% limit curves, and the quartiles (JSON, or CSV: one row per peer with the limits at its denominator)")
            .Produces<FunnelReport>(200, "application/json", "text/csv").WithExample(PeerExamples.Funnel).Produces(304)
                .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        api.MapGet("/indicators/spc", Spc).WithTags("Indicators").WithName("GetSpc").AsPublishable()
            .WithSummary("Statistical process control (XmR, Making Data Count) for one indicator, monthly, for one organisation or every one of a level: mean, limits, special causes, variation and assurance (JSON, or CSV: one row per organisation and month)")
            .Produces<SpcReport>(200, "application/json", "text/csv").WithExample(PeerExamples.Spc).Produces(304)
                .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        api.MapGet("/indicators/spine", Spine).WithTags("Indicators").WithName("GetSpine").AsPublishable()
            .WithSummary("An organisation's spine: every indicator's latest rolling year with its comparisons, quartile among peers, recent trend and SPC reading, in one call (JSON, or CSV: one row per indicator)")
            .Produces<SpineReport>(200, "application/json", "text/csv").WithExample(PeerExamples.Spine).Produces(304)
                .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        return api;
    }

    private static async Task<IResult> Funnel([AsParameters] IndicatorRequest request, Caller caller, PeerFigures peers, HttpContext http,
        CancellationToken ct) =>
        await peers.AnswerAsync(await peers.FunnelAsync(request, caller, http, ct), "f", request.Format, http, ct);

    private static async Task<IResult> Spc([AsParameters] IndicatorRequest request, [AsParameters] SpcRequest spc, Caller caller,
        PeerFigures peers, HttpContext http, CancellationToken ct) =>
        await peers.AnswerAsync(await peers.SpcAsync(request, spc, caller, http, ct), "s", request.Format, http, ct);

    private static async Task<IResult> Spine([AsParameters] SpineRequest request, Caller caller, PeerFigures peers, HttpContext http,
        CancellationToken ct) =>
        await peers.AnswerAsync(await peers.SpineAsync(request, caller, http, ct), "p", request.Format, http, ct);
}
