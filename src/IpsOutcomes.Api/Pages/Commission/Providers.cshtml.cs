using IpsOutcomes.Audit;
using IpsOutcomes.Charts;
using IpsOutcomes.Indicators;
using IpsOutcomes.MonthEnd;
using Microsoft.AspNetCore.Mvc;

namespace IpsOutcomes.Pages.Commission;

/// <summary>
/// Providers (pages.md): a league table of an ICB's providers (or of every ICB, for England) for a chosen indicator,
/// with intervals; a funnel plot of the same for a percentage; and the completeness grid of the last 12 months.
/// </summary>
public sealed class ProvidersModel(CommissionerServices services) : CommissionerPage(services)
{
    [FromQuery(Name = "indicator")] public string? IndicatorAsked { get; set; }

    public IndicatorDefinition Indicator { get; private set; } = IndicatorCatalogue.ById["employment_rate"];
    public IReadOnlyList<PageChart> Charts { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await ChooseAsync(providers: false, ct, regions: false) is { } refused) return refused;
        if (IndicatorAsked is not null && IndicatorCatalogue.ById.TryGetValue(IndicatorAsked, out var asked)) Indicator = asked;
        var icb = Scope.Level == "icb" ? Scope.Code : null;
        var peers = icb is null ? "level=icb" : $"level=provider&within={icb}";
        var scopeWords = icb is null ? "every ICB" : $"providers of {Scope.Name}";
        var request = new IndicatorRequest(icb is null ? "icb" : "provider", null, icb, "rolling12", Month, null, null, Indicator.Id, null, null, null);
        var query = $"{peers}&period_type=rolling12&month={Month}&indicators={Indicator.Id}{PublishedQuery}";
        var charts = new List<PageChart>();

        var (shown, league) = await AnswerAsync(await Services.Figures.ValuesAsync(request, [], Caller, HttpContext, ct));
        charts.Add(shown
            ? new PageChart("league", $"{Indicator.Name}: {scopeWords}, highest first", LeagueChart.Draw(Indicator, scopeWords, league.Result.Rows, league.Result.Version),
                "league", query, "/api/v1/indicators",
                new(["Organisation", "Value", "95% interval", "Against the benchmark"], league.Result.Rows.OrderByDescending(r => r.Value ?? double.MinValue)
                    .Select(r => (IReadOnlyList<string>)[r.OrganisationName, PlainEnglish.InUnit(r.Value, r.Unit),
                        PlainEnglish.Interval(r.LowerCi, r.UpperCi, r.Unit), FiguresModel.Against(r)]).ToList()))
            : new PageChart("league", Indicator.Name, "", "league", query, "/api/v1/indicators", DataTable.None));

        if (Indicator.Measure.Kind == MeasureKind.Share)
        {
            var (funnelShown, funnel) = await AnswerAsync(await Services.Peers.FunnelAsync(request, Caller, HttpContext, ct));
            if (funnelShown)
                charts.Add(new PageChart("funnel", $"{Indicator.Name}: funnel plot around England", FunnelChart.Draw(Indicator, funnel, scopeWords),
                    "funnel", query, "/api/v1/indicators/funnel",
                    new(["Organisation", "Value", "Denominator", "Against England's limits", "Quartile"], funnel.Points
                        .Select(p => (IReadOnlyList<string>)[p.Name, PlainEnglish.InUnit(p.Value, Unit.Percent),
                            p.Denominator?.ToString() ?? "not shown", p.Position is null ? "" : ChartFrame.Words(p.Position),
                                p.Quartile?.ToString() ?? ""]).ToList())));
        }

        var completenessQuery = $"{(icb is null ? "" : $"icb={icb}&")}from={MonthsBefore(12)}&to={Month}{PublishedQuery}";
        var (gridShown, grid) = await AnswerAsync(Services.Completeness.Resolve(new CompletenessRequest(icb, null, MonthsBefore(12), Month,
            null, null), Caller, ct));
        if (gridShown && grid is not null)
            charts.Add(new PageChart("completeness", $"Monthly returns, {PlainEnglish.Month(MonthsBefore(12))} to {PlainEnglish.Month(Month)}",
                CompletenessGrid.Draw(grid, Scope.Name), "completeness", completenessQuery, "/api/v1/reports/completeness",
                new(["Service", "Month", "Return"], grid.Providers.OrderBy(p => p.ProviderName).ThenBy(p => p.Period)
                    .Select(p => (IReadOnlyList<string>)[p.ProviderName, PlainEnglish.Month(p.Period),
                        PlainEnglish.Completeness(p.Status, p.PastDue).Words]).ToList())));
        Charts = charts;
        return Page();
    }
}
