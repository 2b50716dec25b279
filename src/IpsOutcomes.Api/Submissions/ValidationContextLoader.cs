using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Returns;

namespace IpsOutcomes.Submissions;

/// <summary>Loads what X001 and X002 compare a file against: the previous month's open referrals and recent volumes.</summary>
public sealed class ValidationContextLoader(Database database)
{
    internal static readonly Sql SelectAcceptedPeriods = Sql.Portable("""
        SELECT id AS Id, period AS Period FROM submissions
        WHERE provider_code = @provider AND status = 'accepted' AND period >= @from AND period <= @to
        """);

    internal static readonly Sql SelectOpenReferralKeys = Sql.Portable("""
        SELECT referral_key FROM referrals
        WHERE provider_code = @provider AND submission_id = @submission AND discharge_date IS NULL
        """);

    internal static readonly Sql SelectReferralDates = Sql.Portable("""
        SELECT referral_date FROM referrals
        WHERE provider_code = @provider AND referral_date >= @from AND referral_date <= @to
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

        var openKeys = new HashSet<UInt128>();
        var previous = accepted.FirstOrDefault(a => a.Period == period.Previous.ToString());
        if (previous is not null)
            foreach (var key in await database.QueryAsync<byte[]>(SelectOpenReferralKeys, new { provider = providerCode, submission = previous.Id }, cancellationToken))
                openKeys.Add(BitConverter.ToUInt128(key, 0));

        // Monthly new-referral counts for the months of the last six that the provider returned.
        var months = accepted.Select(a => a.Period).Distinct().ToList();
        var counts = months.ToDictionary(m => m, _ => 0);
        if (months.Count > 0)
            foreach (var date in await database.QueryAsync<DateOnly>(SelectReferralDates,
                         new { provider = providerCode, from = first.FirstDay, to = period.Previous.LastDay }, cancellationToken))
                if (counts.ContainsKey(ReturnPeriod.FromDate(date).ToString())) counts[ReturnPeriod.FromDate(date).ToString()]++;

        return new ValidationContext(openKeys, previous is null ? null : period.Previous, counts.Count, Statistics.Median([.. counts.Values]));
    }
}
