using IpsOutcomes.Audit;
using IpsOutcomes.Indicators;
using Microsoft.AspNetCore.Mvc;

namespace IpsOutcomes.Pages.Commission;

/// <summary>Trends (pages.md): any indicator, month by month over two years, as an SPC chart with its variation and assurance, as NHS board
/// papers show them.</summary>
public sealed class TrendsModel(CommissionerServices services) : CommissionerPage(services)
{
    [FromQuery(Name = "indicator")] public string? IndicatorAsked { get; set; }

    /// <summary>Whether unusual months are screened out of the limits (the default), as NHSRplotthedots does.</summary>
    [FromQuery(Name = "screen_outliers")] public string? ScreenOutliersAsked { get; set; }

    public bool ScreenOutliers => ScreenOutliersAsked != "false";

    /// <summary>This page with the screening the other way round.</summary>
    public string OtherScreening => Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(Url.Page("/Commission/Trends")!,
        Request.Query.Where(q => q.Key != "screen_outliers").Select(q => KeyValuePair.Create(q.Key, (string?)q.Value.ToString()))
            .Concat(ScreenOutliers ? [KeyValuePair.Create("screen_outliers", (string?)"false")] : []));

    public IndicatorDefinition Indicator { get; private set; } = IndicatorCatalogue.ById["accessed"];
    public SpcSeries? Series { get; private set; }
    public PageChart? Chart { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await ChooseAsync(providers: true, ct) is { } refused) return refused;
        if (IndicatorAsked is not null && IndicatorCatalogue.ById.TryGetValue(IndicatorAsked, out var asked)) Indicator = asked;
        (Series, Chart) = await SpcAsync(Indicator, ct, ScreenOutliers);
        return Page();
    }
}
