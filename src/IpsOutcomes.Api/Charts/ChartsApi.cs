using IpsOutcomes.Equality;
using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.MonthEnd;

namespace IpsOutcomes.Charts;

/// <summary>
/// Every chart on a page, served as a resource (pages.md): <c>.svg</c> or <c>.png</c>. Each resolves its request with
/// its figures route's own function, so scope, disclosure, audit and the ETag are theirs; it draws the same figures.
/// </summary>
public static class ChartsApi
{
    public const string Svg = "image/svg+xml";
    public const string Png = "image/png";

    public static IEndpointRouteBuilder MapCharts(this IEndpointRouteBuilder api)
    {
        // The extension names the format; checked before anything is resolved or audited.
        var charts = api.MapGroup("/charts").WithTags("Charts").AsPublishable().AddEndpointFilter(async (context, next) =>
            context.HttpContext.GetRouteValue("image") is "svg" or "png" ? await next(context) : Problems.NotFound("A chart is .svg or .png."));
        charts.MapGet("/trend.{image}", Trend).WithName("GetTrendChart").ProducesImage()
            .WithSummary("A line chart of one indicator for one organisation over time, with its 95% interval as a band and the benchmark (the figures of /indicators)");
        charts.MapGet("/spc.{image}", Spc).WithName("GetSpcChart").ProducesImage()
            .WithSummary("An SPC chart in the Making Data Count style for one indicator and organisation, with its variation and assurance icons (the figures of /indicators/spc)");
        charts.MapGet("/league.{image}", League).WithName("GetLeagueChart").ProducesImage()
            .WithSummary("A league table as bars with intervals: every provider of an ICB (within=) or every ICB, for one indicator and period (the figures of /indicators)");
        charts.MapGet("/funnel.{image}", Funnel).WithName("GetFunnelChart").ProducesImage()
            .WithSummary("A funnel plot of one percentage indicator for one period (the figures of /indicators/funnel)");
        charts.MapGet("/forest.{image}", Forest).WithName("GetForestChart").ProducesImage()
            .WithSummary("Forest plots of the representation ratio and the outcome rate ratio of each ethnic group, log scale, line at 1, for the report's latest period (the figures of /reports/equality)");
        charts.MapGet("/completeness.{image}", Completeness).WithName("GetCompletenessChart").ProducesImage()
            .WithSummary("A grid of providers by month: each return on time, late, rejected only, missing or not yet due (the figures of /reports/completeness)");
        return api;
    }

    private static async Task<IResult> Trend(string image, [AsParameters] ChartRequest request, Caller caller,
        [AsParameters] ChartServices charts, CancellationToken ct)
    {
        var errors = OneIndicator(request);
        if (request.Level is not "england" && request.Code is null) errors["code"] = ["A trend chart is for one organisation: give its code."];
        if (request.Within is not null) errors["within"] = ["A trend chart is for one organisation: leave out within."];
        var figures = await charts.IndicatorFigures.ValuesAsync(request.AsIndicatorRequest, errors, caller, charts.Http, ct);
        return await charts.Drawing.DrawAsync(figures, "trend", image, request.Width, charts.Http, ct: ct, draw: answer =>
        {
            var rows = answer.Result.Rows;
            var definition = IndicatorCatalogue.ById[answer.Query.Indicators[0]];
            return TrendChart.Draw(definition, answer.Result.Organisations[0].Name, rows, answer.Result.Version);
        });
    }

    private static async Task<IResult> League(string image, [AsParameters] ChartRequest request, Caller caller,
        [AsParameters] ChartServices charts, CancellationToken ct)
    {
        var errors = OneIndicator(request);
        if (request.Code is not null) errors["code"] = ["A league table shows every peer: leave out code (within=<ICB code> for one ICB's providers)."];
        if (request.Month is null) errors["month"] = ["A league table is for one period: give month=yyyy-MM."];
        var figures = await charts.IndicatorFigures.ValuesAsync(request.AsIndicatorRequest with { Level = request.Level ?? "provider" },
            errors, caller, charts.Http, ct);
        return await charts.Drawing.DrawAsync(figures, "league", image, request.Width, charts.Http, ct: ct, draw: async answer =>
            (string?)LeagueChart.Draw(IndicatorCatalogue.ById[answer.Query.Indicators[0]],
                await ScopeAsync(charts.IndicatorService, request.Within, "every ICB", ct), answer.Result.Rows, answer.Result.Version));
    }

    private static async Task<IResult> Funnel(string image, [AsParameters] ChartRequest request, Caller caller,
        [AsParameters] ChartServices charts, CancellationToken ct)
    {
        var figures = await charts.PeerFigures.FunnelAsync(request.AsIndicatorRequest, caller, charts.Http, ct);
        return await charts.Drawing.DrawAsync(figures, "funnel", image, request.Width, charts.Http, ct: ct, draw: async report =>
            (string?)FunnelChart.Draw(IndicatorCatalogue.ById[report.Indicator], report,
                await ScopeAsync(charts.IndicatorService, request.Within, request.Level is "icb" ? "every ICB" : "every provider in England", ct)));
    }

    private static async Task<IResult> Spc(string image, [AsParameters] ChartRequest request, [AsParameters] SpcRequest spc, Caller caller,
        [AsParameters] ChartServices charts, CancellationToken ct)
    {
        if (request.Level is not "england" && request.Code is null) return Problems.Invalid("code", "An SPC chart draws one organisation: give its code.");
        var figures = await charts.PeerFigures.SpcAsync(request.AsIndicatorRequest, spc, caller, charts.Http, ct);
        return await charts.Drawing.DrawAsync(figures, "spc", image, request.Width, charts.Http, ct: ct,
            draw: report => report.Series.Count == 0 ? null
            : ControlChart.Draw(IndicatorCatalogue.ById[report.Indicator], report.Series[0], report.Target, report.DataVersion));
    }

    private static async Task<IResult> Forest(string image, [AsParameters] EqualityRequest request, [AsParameters] ChartSize size,
        Caller caller, [AsParameters] ChartServices charts, CancellationToken ct)
    {
        var figures = await charts.EqualityFigures.ReportAsync(request, caller, charts.Http, ct);
        return await charts.Drawing.DrawAsync(figures, "forest", image, size.Width, charts.Http, ct: ct, draw: report =>
            ForestPlot.Draw(report.View, report.View.Periods[^1], IndicatorCatalogue.ById[report.View.Indicator].Name));
    }

    private static async Task<IResult> Completeness(string image, [AsParameters] CompletenessRequest request, [AsParameters] ChartSize size,
        Caller caller, [AsParameters] ChartServices charts, CancellationToken ct)
    {
        var figures = charts.CompletenessReports.Resolve(request, caller, ct);
        return await charts.Drawing.DrawAsync(figures, "completeness", image, size.Width, charts.Http, ct: ct, draw: async report =>
            report is null ? null
                : CompletenessGrid.Draw(report, report.Scope == "england" ? "England" : await IcbNameAsync(charts.IndicatorService, report.Scope, ct)));
    }

    private static RouteHandlerBuilder ProducesImage(this RouteHandlerBuilder route) =>
        route.Produces(200).Produces(304).ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                // The picture's type follows the path's extension: .svg or .png.
                operation.Responses!["200"] = new Microsoft.OpenApi.OpenApiResponse
                {
                    Description = "The chart: SVG (text, with a title, a description and a class on every mark) or PNG (width= pixels, 1600 by default)",
                    Content = new Dictionary<string, Microsoft.OpenApi.OpenApiMediaType>
                    {
                        [Svg] = new() { Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String } },
                        [Png] = new()
                        {
                            Schema = new Microsoft.OpenApi.OpenApiSchema
                            {
                                Type = Microsoft.OpenApi.JsonSchemaType.String,
                                Format = "binary"
                            }
                        },
                    },
                };
                return Task.CompletedTask;
            });

    private static Dictionary<string, string[]> OneIndicator(ChartRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Indicators is null || request.Indicators.Contains(',')) errors["indicators"] = ["A chart draws one indicator (indicators=employment_rate, say)."];
        return errors;
    }

    /// <summary>Whom a league or funnel compares: an ICB's providers (<paramref name="within"/>), or <paramref
    /// name="otherwise"/>.</summary>
    private static async Task<string> ScopeAsync(IndicatorService service, string? within, string otherwise, CancellationToken ct) =>
        within is null ? otherwise : $"providers of {await IcbNameAsync(service, within, ct)}";

    private static async Task<string> IcbNameAsync(IndicatorService service, string code, CancellationToken ct) =>
        (await service.OrganisationsAsync(OrganisationLevel.Icb, code.ToUpperInvariant(), null, ct))?.FirstOrDefault()?.Name ?? code;
}

/// <summary>
/// What drawing a chart needs: the figures services of the routes whose figures it draws, the drawing, and the request.
/// (Named unlike any query parameter: an <c>[AsParameters]</c> record's members share one namespace with the request's.)
/// </summary>
public sealed record ChartServices(IndicatorFigures IndicatorFigures, PeerFigures PeerFigures, EqualityFigures EqualityFigures,
    CompletenessReports CompletenessReports, IndicatorService IndicatorService, Drawing Drawing, HttpContext Http);
