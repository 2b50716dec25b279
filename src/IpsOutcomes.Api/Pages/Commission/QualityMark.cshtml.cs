using IpsOutcomes.Fidelity;
using IpsOutcomes.Indicators;
using IpsOutcomes.Returns;
using Microsoft.AspNetCore.Mvc;

namespace IpsOutcomes.Pages.Commission;

/// <summary>
/// The quality mark (fidelity-and-quality-mark.md): for an ICB, every provider with its criteria as tags and its
/// deadline; for England, how many of each ICB's providers are ready, on track, due or overdue.
/// </summary>
public sealed class QualityMarkModel(CommissionerServices services, QualityMarkService service) : CommissionerPage(services)
{
    public IReadOnlyList<Readiness> Providers { get; private set; } = [];
    public IReadOnlyList<(string Code, string Name, ReadinessCounts Counts)> Icbs { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await ChooseAsync(providers: false, ct, regions: false) is { } refused) return refused;
        var month = ReturnPeriod.TryParse(Month, out var m) ? m : throw new InvalidOperationException("The month is chosen from the list.");
        var today = DateOnly.FromDateTime(Services.Clock.GetUtcNow().UtcDateTime);
        var assessed = await service.AssessAsync(Scope.Level == "icb" ? Scope.Code : null, null, month, today, exact: false, ct);
        if (Scope.Level == "icb") Providers = assessed;
        else
            Icbs = assessed.GroupBy(r => r.IcbCode).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (g.Key, Options.FirstOrDefault(o => o.Code == g.Key)?.Name ?? g.Key, ReadinessCounts.Of([.. g]))).ToList();
        return Page();
    }

    public static (string Words, string Colour) Tag(CriterionState state) => state switch
    {
        CriterionState.Met => ("met", "green"),
        CriterionState.NotMet => ("not met", "red"),
        _ => ("no data", "grey"),
    };

    public static string Deadline(Readiness r) => r.DeadlineState switch
    {
        null => "Ready",
        DeadlineState.Overdue => $"Overdue since {PlainEnglish.Date(r.Deadline)}",
        DeadlineState.DueWithin6Months => $"Due by {PlainEnglish.Date(r.Deadline)}",
        _ => $"On track for {PlainEnglish.Date(r.Deadline)}",
    };

    public static string CriterionName(string name) => name switch
    {
        "fidelity" => "Fidelity",
        "job_outcomes" => "Job outcomes",
        "integration" => "Integration",
        "employer_engagement" => "Employer engagement",
        "data_completeness" => "Data completeness",
        _ => "Racial equality figures",
    };
}
