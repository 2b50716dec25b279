using IpsOutcomes.Charts;
using IpsOutcomes.Fidelity;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Organisations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IpsOutcomes.Pages;

/// <summary>A service's fidelity reviews: its totals over time against the bands, and its latest review's 25 items, where it is strong and
/// where it falls short.</summary>
public sealed class FidelityHistoryModel(OrganisationStore organisations, FidelityStore store) : PageModel
{
    public Provider Provider { get; private set; } = null!;
    public IReadOnlyList<FidelityReview> Reviews { get; private set; } = [];
    public IReadOnlyList<PageChart> Charts { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string? code, CancellationToken ct)
    {
        var caller = Caller.From(User)!;
        code ??= caller.Role == Role.Provider ? caller.OrganisationCode : null;
        if (code is null || await organisations.ProviderAsync(code, ct) is not { } provider) return NotFound();
        if (!caller.CanReadProvider(provider.Code, provider.IcbCode)) return Forbid(PageSessions.Scheme);
        Provider = provider;
        Reviews = await store.ReviewsAsync(provider.Code, ct);
        if (Reviews.Count == 0) return Page();
        var api = $"/api/v1/providers/{provider.Code}/fidelity-reviews";
        var latest = Reviews.Where(r => r.Kind == "external").DefaultIfEmpty(Reviews[^1]).MaxBy(r => r.ReviewDate)!;
        Charts =
        [
            new PageChart("fidelity-history", "Fidelity totals over time", FidelityHistoryChart.Draw(provider.Name, Reviews), "", "", api,
                new(["Date", "Kind", "Reviewer", "Total", "Band"], Reviews.Select(r => (IReadOnlyList<string>)
                    [PlainEnglish.Date(r.ReviewDate), r.Kind, r.Reviewer ?? "", r.Total.ToString(), ChartFrame.Words(r.Band)]).ToList())),
            new PageChart("fidelity-items", $"The 25 items of the {latest.Kind} review of {PlainEnglish.Date(latest.ReviewDate)}",
                FidelityItemsChart.Draw(provider.Name, latest), "", "", api,
                new(["Item", "Section", "Score"], FidelityScale.Items.Select(i => (IReadOnlyList<string>)
                    [$"{i.Code} {i.Name}", i.Section, latest.Scores.GetValueOrDefault(i.Code).ToString()]).ToList())),
        ];
        return Page();
    }
}
