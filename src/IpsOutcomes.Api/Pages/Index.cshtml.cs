using IpsOutcomes.Infrastructure;
using IpsOutcomes.MonthEnd;
using IpsOutcomes.Organisations;
using IpsOutcomes.Returns;
using IpsOutcomes.Submissions;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IpsOutcomes.Pages;

/// <summary>Home: for an IPS service, this month's return and the last 12 months; for others, how many returns are in.</summary>
public sealed class HomeModel(CompletenessReports completeness, SubmissionStore submissions, OrganisationStore organisations,
    TimeProvider clock) : PageModel
{
    public Provider? Provider { get; private set; }
    public ReturnPeriod LastMonth { get; private set; }
    public DateOnly DueDate { get; private set; }
    public ProviderCompleteness? ThisMonth { get; private set; }
    public SubmissionView? Latest { get; private set; }
    public IReadOnlyList<ProviderCompleteness> Months { get; private set; } = [];
    public ReportingRate? Rate { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var caller = Caller.From(User)!;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        LastMonth = ReturnPeriod.FromDate(today).Previous;
        DueDate = Completeness.DueDate(LastMonth, completeness.DueDay);
        var first = ReturnPeriod.FromDate(LastMonth.FirstDay.AddMonths(-11));
        if (caller.Role == Role.Provider)
        {
            Provider = await organisations.ProviderAsync(caller.OrganisationCode!, ct);
            if (Provider is null) return;
            var report = await completeness.BuildAsync(caller, Provider.IcbCode, first, LastMonth, today, ct, Provider.Code);
            Months = report?.Providers.OrderByDescending(p => p.Period).ToList() ?? [];
            ThisMonth = Months.FirstOrDefault(m => m.Period == LastMonth.ToString());
            Latest = (await submissions.ListAsync(Provider.Code, null, LastMonth.ToString(), null, 1, 1, ct)).FirstOrDefault();
            return;
        }
        var scope = caller.Role == Role.Icb ? caller.OrganisationCode : null;
        Rate = (await completeness.BuildAsync(caller, scope, LastMonth, LastMonth, today, ct))?.Rates.FirstOrDefault();
    }
}
