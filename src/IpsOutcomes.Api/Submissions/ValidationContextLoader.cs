using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Returns;

namespace IpsOutcomes.Submissions;

/// <summary>Loads what X001 and X002 compare a file against: the previous month's open referrals and recent volumes.</summary>
public sealed class ValidationContextLoader(Database database, ReferralStore referrals)
{
    internal static readonly Sql SelectAcceptedPeriods = Sql.Portable("""
        SELECT id AS Id, period AS Period FROM submissions
        WHERE provider_code = @provider AND status = 'accepted' AND period >= @from AND period <= @to
        """);

    private sealed class AcceptedPeriod
    {
        public long Id { get; init; }
        public string Period { get; init; } = "";
    }

    public async Task<ValidationContext> LoadAsync(string providerCode, ReturnPeriod period, CancellationToken cancellationToken)
    {
        var first = ReturnPeriod.FromDate(period.FirstDay.AddMonths(-6));
        var accepted = await database.QueryAsync<AcceptedPeriod>(SelectAcceptedPeriods,
            new { provider = providerCode, from = first.ToString(), to = period.Previous.ToString() }, cancellationToken);

        var previous = accepted.FirstOrDefault(a => a.Period == period.Previous.ToString());
        var openKeys = previous is null ? [] : await referrals.OpenReferralKeysAsync(providerCode, previous.Id, cancellationToken);

        // Monthly new-referral counts for the months of the last six that the provider returned.
        var months = accepted.Select(a => a.Period).Distinct().ToList();
        var counts = months.ToDictionary(m => m, _ => 0);
        if (months.Count > 0)
            foreach (var date in await referrals.ReferralDatesAsync(providerCode, first.FirstDay, period.Previous.LastDay,
                cancellationToken))
                if (counts.ContainsKey(ReturnPeriod.FromDate(date).ToString())) counts[ReturnPeriod.FromDate(date).ToString()]++;

        return new ValidationContext(openKeys, previous is null ? null : period.Previous, counts.Count,
            Statistics.Median([.. counts.Values]));
    }
}
