namespace IpsOutcomes.Tests.Disclosure;

/// <summary>One count an attacker reasons about: a cell of one organisation, period and group (breakdown:group, or "all").</summary>
public readonly record struct Unknown(string Organisation, string PeriodType, string Period, Quantity Cell, string Group)
{
    public override string ToString() => $"{Organisation} {PeriodType} {Period} {Cell} {Group}";
}

/// <summary>The counts of people an indicator's definition names: what an attacker reads off the catalogue.</summary>
public enum Quantity
{
    Referrals, ReferralsInWork, Accessed, PeopleAccessed, Caseload, Within30, Within7, From8To30, Over30, PeopleIntoWork,
    JobStarts, OutOfWorkAccessed, IntoWork, FollowedUp30Days, RapidJobSearch, DaysToJobValues, FollowedUp91Days, Sustained,
    Discharges, Open, OpenKnown,
}

public static class Quantities
{
    /// <summary>The counts an indicator's row shows: its count, or its numerator and denominator (a median: its number of
    /// values).</summary>
    public static (Quantity? Numerator, Quantity? Denominator) Of(string indicatorId) => indicatorId switch
    {
        "referrals" => (Quantity.Referrals, null),
        "referrals_in_work_pct" => (Quantity.ReferralsInWork, Quantity.Referrals),
        "accessed" => (Quantity.Accessed, null),
        "people_accessed" => (Quantity.PeopleAccessed, null),
        "caseload" => (Quantity.Caseload, null),
        "first_contact_within_30_days_pct" => (Quantity.Within30, Quantity.Accessed),
        "first_contact_0_7_days_pct" => (Quantity.Within7, Quantity.Accessed),
        "first_contact_8_30_days_pct" => (Quantity.From8To30, Quantity.Accessed),
        "first_contact_over_30_days_pct" => (Quantity.Over30, Quantity.Accessed),
        "median_days_to_first_contact" => (null, Quantity.Accessed),
        "people_into_work" => (Quantity.PeopleIntoWork, null),
        "job_starts" => (Quantity.JobStarts, null),
        "employment_rate" => (Quantity.IntoWork, Quantity.OutOfWorkAccessed),
        "rapid_job_search_pct" => (Quantity.RapidJobSearch, Quantity.FollowedUp30Days),
        "median_days_to_first_job" => (null, Quantity.DaysToJobValues),
        "job_sustained_13_weeks_pct" => (Quantity.Sustained, Quantity.FollowedUp91Days),
        "discharges" => (Quantity.Discharges, null),
        "ethnicity_recorded_pct" => (Quantity.OpenKnown, Quantity.Open),
        _ => (null, null),
    };
}

/// <summary>
/// An attacker's arithmetic: every count is an interval, every known relation (a total and the cells that add up to
/// it) narrows them, until nothing moves. A suppressed count narrowed to one value is pinned: recovered.
/// </summary>
public sealed class IntervalSolver
{
    public const long Unbounded = 1_000_000_000;

    private readonly Dictionary<Unknown, int> ids = [];
    private readonly List<long> low = [], high = [];
    private readonly List<(int Total, int[] Parts)> relations = [];

    private int Id(Unknown unknown)
    {
        if (ids.TryGetValue(unknown, out var id)) return id;
        ids[unknown] = id = low.Count;
        low.Add(0);
        high.Add(Unbounded);
        return id;
    }

    public (long Low, long High) this[Unknown unknown] => ids.TryGetValue(unknown, out var id) ? (low[id], high[id]) : (0, Unbounded);

    /// <summary>What was read of a count: it lies in this range.</summary>
    public void Observe(Unknown unknown, long atLeast, long atMost)
    {
        var id = Id(unknown);
        Narrow(id, atLeast, atMost);
    }

    public void Relate(Unknown total, IEnumerable<Unknown> parts) => relations.Add((Id(total), parts.Select(Id).ToArray()));

    private bool Narrow(int id, long atLeast, long atMost)
    {
        atLeast = Math.Max(low[id], atLeast);
        atMost = Math.Min(high[id], atMost);
        if (atLeast > atMost) throw new InvalidOperationException($"What was read of {ids.First(k => k.Value == id).Key} contradicts itself.");
        if (atLeast == low[id] && atMost == high[id]) return false;
        (low[id], high[id]) = (atLeast, atMost);
        return true;
    }

    /// <summary>Narrows every interval by every relation until nothing moves.</summary>
    public void Solve(int maxPasses = 500)
    {
        for (var pass = 0; pass < maxPasses; pass++)
        {
            var changed = false;
            foreach (var (total, parts) in relations)
            {
                long lowSum = 0, finiteHighSum = 0;
                var unbounded = 0;
                foreach (var p in parts)
                {
                    lowSum += low[p];
                    if (high[p] >= Unbounded) unbounded++;
                    else finiteHighSum += high[p];
                }
                changed |= Narrow(total, lowSum, unbounded > 0 ? Unbounded : finiteHighSum);
                foreach (var p in parts)
                {
                    var othersLow = lowSum - low[p];
                    var othersUnbounded = unbounded - (high[p] >= Unbounded ? 1 : 0) > 0;
                    var othersHigh = finiteHighSum - (high[p] >= Unbounded ? 0 : high[p]);
                    changed |= Narrow(p, othersUnbounded ? 0 : low[total] - othersHigh,
                        high[total] >= Unbounded ? Unbounded : high[total] - othersLow);
                }
            }
            if (!changed) return;
        }
    }
}
