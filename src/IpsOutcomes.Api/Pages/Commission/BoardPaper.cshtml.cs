using IpsOutcomes.Audit;
using IpsOutcomes.Charts;
using IpsOutcomes.Equality;
using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.MonthEnd;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace IpsOutcomes.Pages.Commission;

/// <summary>
/// The board-paper pack (issue 16): one page per organisation and month that prints cleanly on A4 — the dashboard's
/// figures, the equality forest plot and the SPC charts of access, people into work and ethnicity recording, each with its reading in
/// words.
/// </summary>
public sealed class BoardPaperModel(CommissionerServices services) : CommissionerPage(services)
{
    /// <summary>Monthly measures that move month by month (a monthly employment rate is mostly empty: jobs start weeks after first
    /// contact).</summary>
    public static readonly string[] Charted = ["accessed", "people_into_work", "ethnicity_recorded_pct"];

    public Summary Summary { get; private set; } = null!;
    public EqualityPeriod? Equality { get; private set; }
    public PageChart? Forest { get; private set; }
    public IReadOnlyList<(SpcSeries Series, PageChart Chart)> Trends { get; private set; } = [];

    /// <summary><c>current=true</c>: current figures, not the publication the board paper shows by default.</summary>
    [FromQuery(Name = "current")] public string? CurrentAsked { get; set; }

    /// <summary>Shown as current figures: because there is no publication yet, or because they were asked for.</summary>
    public bool NoPublicationYet { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        // By default a board paper shows figures that stay put: the latest publication the ICB signed off, else the latest.
        if (Publication is null && CurrentAsked != "true")
        {
            var caller = Caller.From(User);
            var icb = caller?.Role == Role.Icb ? caller.OrganisationCode : null;
            if (await Services.Publications.ForBoardAsync(icb, ct) is { } latest)
                return Redirect(Url.Page("/Commission/BoardPaper") + $"?publication={Uri.EscapeDataString(latest.Name)}"
                    + (Asked is null ? "" : $"&scope={Uri.EscapeDataString(Asked)}"));
            NoPublicationYet = true;
        }
        if (await ChooseAsync(providers: false, ct, regions: false) is { } refused) return refused;
        Summary = await SummaryAsync(ct);
        var code = Scope.Level == "england" ? null : Scope.Code;
        var request = new EqualityRequest(Scope.Level, code, "rolling12", Month, null, null, null, null, null, null, null);
        var (shown, report) = await AnswerAsync(await Services.Equality.ReportAsync(request, Caller, HttpContext, ct));
        if (shown)
        {
            Equality = report.View.Periods[^1];
            Forest = new PageChart("forest", $"Access and employment by ethnic group, {Equality.Period}",
                ForestPlot.Draw(report.View, Equality, IndicatorCatalogue.ById[report.View.Indicator].Name), "forest",
                $"{ScopeQuery}&period_type=rolling12&month={Month}", "/api/v1/reports/equality", DataTable.None);
        }
        var trends = new List<(SpcSeries, PageChart)>();
        foreach (var id in Charted)
            if (await SpcAsync(IndicatorCatalogue.ById[id], ct) is ({ } series, { } chart)) trends.Add((series,
                chart with { Table = DataTable.None }));
        Trends = trends;
        return Page();
    }
}
