using System.Globalization;
using IpsOutcomes.Audit;
using IpsOutcomes.Charts;
using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Returns;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IpsOutcomes.Pages;

/// <summary>
/// An organisation a commissioner's page can show: England, a region, an ICB, or (for equality and trends) one of its
/// providers; with the providers whose returns make it up (null for England: every one).
/// </summary>
public sealed record ScopeChoice(string Level, string Code, string Name, IReadOnlyList<string>? Providers)
{
    public static ScopeChoice Of(Organisation organisation) =>
        new(organisation.Level.ToString().ToLowerInvariant(), organisation.Code, organisation.Name, organisation.Providers);

    public string Value => $"{Level}:{Code}";
}

/// <summary>
/// A chart on a page: its SVG inline (ids made unique on the page, so several charts can sit together), a caption,
/// and the API addresses to download it (SVG, PNG) and its figures (CSV). The links work with the page session.
/// </summary>
public sealed record PageChart(string Id, string Caption, string Svg, string Chart, string Query, string Data, DataTable Table)
{
    public HtmlString Inline => new(Svg
        .Replace("aria-labelledby=\"chart-title chart-desc\"", $"aria-labelledby=\"{Id}-title {Id}-desc\"", StringComparison.Ordinal)
        .Replace("id=\"chart-title\"", $"id=\"{Id}-title\"", StringComparison.Ordinal)
        .Replace("id=\"chart-desc\"", $"id=\"{Id}-desc\"", StringComparison.Ordinal));

    public string SvgLink => $"/api/v1/charts/{Chart}.svg?{Query}";
    public string PngLink => $"/api/v1/charts/{Chart}.png?{Query}";
    public string CsvLink => $"{Data}{(Data.Contains('?') ? '&' : '?')}{Query}&format=csv";
}

/// <summary>A chart's figures as a table of words, beside the chart for anyone who cannot see it.</summary>
public sealed record DataTable(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    public static readonly DataTable None = new([], []);
}

/// <summary>
/// What a commissioner's page resolves its figures with: the same services the API's routes and charts use.
/// </summary>
public sealed record CommissionerServices(IndicatorService Indicators, IndicatorFigures Figures, PeerFigures Peers,
    Equality.EqualityFigures Equality, MonthEnd.CompletenessReports Completeness, FiguresClock Clock, AsPublished AsPublished,
    Publications.PublishedPages Publications);

/// <summary>
/// What every commissioner's page shares: ICB, national and admin keys only; the organisation shown (an ICB key its
/// own ICB, or one of its providers where a page offers them; national and admin keys England, a region or any ICB);
/// the month (by default the latest whose returns were due and that holds figures); and the figures resolved with the API's own functions,
/// under this
/// session's <see cref="Caller"/>, so the page shows exactly what the API would answer.
/// </summary>
public abstract class CommissionerPage(CommissionerServices services) : PageModel
{
    private readonly IndicatorService indicators = services.Indicators;
    private readonly TimeProvider clock = services.Clock;

    [FromQuery(Name = "scope")] public string? Asked { get; set; }
    [FromQuery(Name = "month")] public string? MonthAsked { get; set; }

    public Caller Caller { get; private set; } = null!;
    public ScopeChoice Scope { get; private set; } = null!;
    public IReadOnlyList<ScopeChoice> Options { get; private set; } = [];
    public string Month { get; private set; } = "";
    public IReadOnlyList<string> Months { get; private set; } = [];

    /// <summary>Why the page opened on its month, in words, when none was asked for.</summary>
    public string? OpenedOn { get; private set; }

    /// <summary>The publication the page shows its figures as (<c>publication=</c>), or null for current figures.</summary>
    public Publication? Publication => services.AsPublished.Current;

    /// <summary>Above figures shown as published: which publication, whose sign-off, how many figures revised since.</summary>
    public Publications.PublishedBanner? Banner { get; private set; }

    /// <summary>What the page could not show, in words (a figure route's refusal), or null.</summary>
    public string? Problem { get; protected set; }

    protected CommissionerServices Services => services;

    /// <summary>Sets the scope and month; false (with a 403 to return) for a key these pages are not for, or a scope it may not
    /// read.</summary>
    protected async Task<IActionResult?> ChooseAsync(bool providers, CancellationToken ct, bool regions = true)
    {
        Caller = Caller.From(User)!;
        if (Caller.Role is Role.Provider) return Forbid(PageSessions.Scheme);
        await indicators.PinAsync(HttpContext, ct); // every figure and chart of the page from one data version
        var options = new List<ScopeChoice>();
        if (Caller.ReachesEverything)
        {
            options.Add(new("england", "E92000001", "England", null));
            if (regions) options.AddRange((await indicators.OrganisationsAsync(OrganisationLevel.Region, null, null, ct) ?? [])
                .Select(ScopeChoice.Of));
            options.AddRange((await indicators.OrganisationsAsync(OrganisationLevel.Icb, null, null, ct) ?? []).Select(ScopeChoice.Of));
        }
        else
        {
            var icb = (await indicators.OrganisationsAsync(OrganisationLevel.Icb, Caller.OrganisationCode, null, ct))?.FirstOrDefault();
            if (icb is null) return Forbid(PageSessions.Scheme);
            options.Add(ScopeChoice.Of(icb));
            if (providers) options.AddRange((await indicators.OrganisationsAsync(OrganisationLevel.Provider, null, icb.Code, ct) ?? [])
                .Select(ScopeChoice.Of));
        }
        Options = options;
        Scope = options.FirstOrDefault(o => o.Value == Asked)
            ?? options.First(o => Caller.ReachesEverything ? o.Level == "england" : o.Level == "icb");

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var last = ReturnPeriod.FromDate(today).Previous;
        Months = Enumerable.Range(0, 24).Select(k => ReturnPeriod.FromDate(last.FirstDay.AddMonths(-k)).ToString()).ToList();
        if (MonthAsked is not null && Months.Contains(MonthAsked)) Month = MonthAsked;
        else if (Publication is { } published)
            (Month, OpenedOn) = (published.Month, $"Showing {PlainEnglish.Month(published.Month)}, the month of this publication. Choose another month below.");
        else (Month, OpenedOn) = await OpeningMonthAsync(today, last, ct);
        if (Publication is { } publication)
            Banner = await services.Publications.BannerAsync(publication, Enum.Parse<OrganisationLevel>(Scope.Level, ignoreCase: true),
                Scope.Code, ct);
        return null;
    }

    /// <summary>
    /// The month a page opens on (pages.md): the latest whose returns were due and that holds data for the organisation
    /// shown, never an empty month while an earlier one has figures; and why, in words.
    /// </summary>
    private async Task<(string Month, string Why)> OpeningMonthAsync(DateOnly today, ReturnPeriod last, CancellationToken ct)
    {
        var dueDay = services.Completeness.DueDay;
        var due = last;
        while (MonthEnd.Completeness.DueDate(due, dueDay) > today) due = due.Previous;
        var held = (await indicators.MonthsHeldAsync(ct))
            .Values.Where(p => Scope.Providers is null || Scope.Providers.Contains(p.ProviderCode))
            .Select(p => p.LatestReturn).DefaultIfEmpty().Max();
        var dueLabel = due.ToString();
        var (month, why) = held is not null && string.CompareOrdinal(held, dueLabel) < 0
            ? (held, $"the latest month with figures for {Scope.Name}")
            : (dueLabel, $"the latest month whose returns were due (by {MonthEnd.Completeness.DueDate(due, dueDay).ToString("d MMMM yyyy", CultureInfo.InvariantCulture)})");
        return (month, $"Showing {PlainEnglish.Month(month)}, {why}. Choose another month below.");
    }

    /// <summary>A trend chart of one indicator over the months before the chosen one, with its figures as a table.</summary>
    protected async Task<PageChart> TrendAsync(string indicator, string caption, int months, CancellationToken ct)
    {
        var code = Scope.Level == "england" ? null : Scope.Code;
        var request = new IndicatorRequest(Scope.Level, code, null, "rolling12", null, MonthsBefore(months), Month, indicator, null, null, null);
        var query = $"{ScopeQuery}&period_type=rolling12&from={MonthsBefore(months)}&to={Month}&indicators={indicator}";
        var (shown, answer) = await AnswerAsync(await services.Figures.ValuesAsync(request, [], Caller, HttpContext, ct));
        if (!shown) return new PageChart($"trend-{indicator}", caption, "", "trend", query, "/api/v1/indicators", DataTable.None);
        var definition = IndicatorCatalogue.ById[indicator];
        var rows = answer.Result.Rows;
        return new PageChart($"trend-{indicator}", caption, TrendChart.Draw(definition, answer.Result.Organisations[0].Name, rows, answer.Result.Version),
            "trend", query, "/api/v1/indicators",
            new(["Period", "Value", "95% interval"],
                rows.Select(r => (IReadOnlyList<string>)[r.Period, PlainEnglish.InUnit(r.Value, r.Unit),
                PlainEnglish.Interval(r.LowerCi, r.UpperCi, r.Unit)]).ToList()));
    }

    /// <summary>The dashboard's figures: the spine of every indicator, and the month's returns for England or an ICB.</summary>
    protected async Task<Commission.Summary> SummaryAsync(CancellationToken ct)
    {
        var code = Scope.Level == "england" ? null : Scope.Code;
        var (_, spine) = await AnswerAsync(await services.Peers.SpineAsync(new SpineRequest(Scope.Level, code, Month, null), Caller,
            HttpContext, ct));
        MonthEnd.ReportingRate? returns = null;
        if (Scope.Level is "icb" or "england")
        {
            var request = new MonthEnd.CompletenessRequest(code, Month, null, null, null, null);
            var (shown, report) = await AnswerAsync(services.Completeness.Resolve(request, Caller, ct));
            returns = shown ? report?.Rates.FirstOrDefault() : null;
        }
        return new(Scope, Month, spine, returns);
    }

    /// <summary>An indicator's SPC chart for the page's organisation, the 24 months to the chosen month, with its months as a
    /// table.</summary>
    protected async Task<(SpcSeries? Series, PageChart? Chart)> SpcAsync(IndicatorDefinition indicator, CancellationToken ct,
        bool screenOutliers = true)
    {
        var code = Scope.Level == "england" ? null : Scope.Code;
        var request = new IndicatorRequest(Scope.Level, code, null, null, null, MonthsBefore(24), Month, indicator.Id, null, null, null);
        var (shown, report) = await AnswerAsync(await services.Peers.SpcAsync(request,
            new SpcRequest(null, null, null, screenOutliers ? null : "false"), Caller, HttpContext, ct));
        if (!shown || report.Series.Count == 0) return (null, null);
        var series = report.Series[0];
        var chart = new PageChart($"spc-{indicator.Id}", $"{indicator.Name}, month by month", ControlChart.Draw(indicator, series, report.Target, report.DataVersion),
            "spc", $"{ScopeQuery}&from={MonthsBefore(24)}&to={Month}&indicators={indicator.Id}{(screenOutliers ? "" : "&screen_outliers=false")}", "/api/v1/indicators/spc",
            new(["Month", "Value", "Mean", "Process limits", "Reading"], series.Months.Select(m => (IReadOnlyList<string>)[PlainEnglish.Month(m.Period),
                PlainEnglish.InUnit(m.Value, indicator.Unit), PlainEnglish.InUnit(m.Mean, indicator.Unit),
                    PlainEnglish.Interval(m.LowerLimit, m.UpperLimit, indicator.Unit),
                m.State is null ? "" : ChartFrame.Words(m.State)]).ToList()));
        return (series, chart);
    }

    /// <summary>The scope as the API's query string names it.</summary>
    protected string ScopeQuery => (Scope.Level == "england" ? "level=england" : $"level={Scope.Level}&code={Scope.Code}") + PublishedQuery;

    /// <summary>What the page's links to the API add, so that their figures are the page's: "&amp;publication=..." or "".</summary>
    protected string PublishedQuery => Publication is { } publication ? $"&publication={publication.Name}" : "";

    /// <summary>The first month of a series of <paramref name="months"/> ending at the chosen month.</summary>
    protected string MonthsBefore(int months) =>
        ReturnPeriod.FromDate(DateOnly.ParseExact(Month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture).AddMonths(1 - months)).ToString();

    /// <summary>Resolved figures' answer; or, refused, not shown, with <see cref="Problem"/> saying why (in the API's words).</summary>
    protected async Task<(bool Shown, T Answer)> AnswerAsync<T>(Resolution<T> figures)
    {
        if (figures.Refusal is null) return (true, await figures.Build());
        Problem ??= figures.Refusal switch
        {
            ValidationProblem validation => string.Join(" ", validation.ProblemDetails.Errors.SelectMany(e => e.Value)),
            ProblemHttpResult problem => problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title,
            _ => "These figures are not available.",
        };
        return (false, default!);
    }
}
