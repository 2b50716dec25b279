using IpsOutcomes.Audit;
using IpsOutcomes.Charts;
using IpsOutcomes.Indicators;
using IpsOutcomes.MonthEnd;
using Microsoft.AspNetCore.Mvc;

namespace IpsOutcomes.Pages.Commission;

/// <summary>
/// The dashboard (pages.md): access against the ICB's target, the employment rate against the 40% benchmark,
/// ethnicity recording and this month's returns; every indicator's spine below; access and employment over two years.
/// </summary>
public sealed class DashboardModel(CommissionerServices services) : CommissionerPage(services)
{
    public Summary Summary { get; private set; } = null!;
    public IReadOnlyList<PageChart> Charts { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await ChooseAsync(providers: false, ct) is { } refused) return refused;
        Summary = await SummaryAsync(ct);
        Charts =
        [
            await TrendAsync("accessed", "Referrals accessing IPS, rolling 12 months", 24, ct),
            await TrendAsync("employment_rate", "Employment rate, rolling 12 months", 24, ct),
        ];
        return Page();
    }
}
