using IpsOutcomes.Charts;
using IpsOutcomes.Fidelity;
using IpsOutcomes.Indicators;
using Microsoft.AspNetCore.Mvc;

namespace IpsOutcomes.Pages.Commission;

/// <summary>Fidelity beside employment: each service's latest external review against its employment rate, and the correlation in
/// words.</summary>
public sealed class FidelityOutcomesModel(CommissionerServices services, FidelityStore store) : CommissionerPage(services)
{
    public FidelityOutcomes? Outcomes { get; private set; }
    public PageChart? Chart { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await ChooseAsync(providers: false, ct, regions: false) is { } refused) return refused;
        var icb = Scope.Level == "icb" ? Scope.Code : null;
        Outcomes = await FidelityBesideOutcomes.BuildAsync(icb, exact: false, Services.Indicators, store, ct);
        if (Outcomes is null) return NotFound();
        Chart = new PageChart("fidelity-outcomes", "Fidelity total against employment rate", FidelityOutcomesChart.Draw(Scope.Name, Outcomes), "", "",
            $"/api/v1/fidelity/outcomes?{(icb is null ? "" : $"icb={icb}")}{PublishedQuery}",
            new(["Service", "Review", "Total", "Band", "Employment rate"], Outcomes.Providers.Select(p => (IReadOnlyList<string>)
                [p.ProviderName, PlainEnglish.Date(p.ReviewDate), p.Total.ToString(), ChartFrame.Words(p.Band),
                    PlainEnglish.InUnit(p.EmploymentRate, Unit.Percent)]).ToList()));
        return Page();
    }

    /// <summary>The correlation in words, as a board paper would put it.</summary>
    public string Words()
    {
        var c = Outcomes!.Correlation;
        if (c.Rho is not { } rho) return $"There are too few services with a review and an employment rate ({c.N}) to say whether fidelity and employment go together.";
        var strength = Math.Abs(rho) switch { >= 0.7 => "strongly", >= 0.4 => "moderately", >= 0.2 => "weakly", _ => "hardly" };
        var direction = rho >= 0 ? "services with higher fidelity tend to have higher employment rates" : "services with higher fidelity tend to have lower employment rates";
        var interval = c.Lower is { } lo && c.Upper is { } hi
            ? lo > 0 || hi < 0 ? $" The 95% interval ({lo:0.00} to {hi:0.00}) does not include 0." : $" The 95% interval ({lo:0.00} to {hi:0.00}) includes 0, so this could be chance."
            : " With fewer than 4 services there is no interval.";
        return $"Across {c.N} services, fidelity and employment are {strength} related (Spearman's rank correlation {rho:0.00}): {direction}.{interval}";
    }
}
