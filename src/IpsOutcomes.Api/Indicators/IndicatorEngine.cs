namespace IpsOutcomes.Indicators;

/// <summary>An indicator's figure before disclosure control: a count, a percentage (numerator of denominator) or a median.</summary>
public sealed record RawValue(string IndicatorId, int Window, int Group, long? Numerator, long? Denominator, double? Value);

/// <summary>
/// Computes the indicators of indicators.md for a set of providers, a series of periods and a breakdown, in one
/// pass over their referrals. Pure: plain arrays in, plain records out.
///
/// Periods are whole months and a series' periods move forward together, so the periods containing a given month
/// form one contiguous run of the series: most indicators add 1 to such a run (a difference array makes that
/// two writes), and the few that also look at the period's last day (employment by the period's end, follow-up
/// time, jobs old enough to have lasted 13 weeks) visit the periods of that run one by one.
/// </summary>
public static class IndicatorEngine
{
    // indicators.md: first contact within 30 days (and its first week); employers met within 30 days of first contact;
    // a job sustained for 13 weeks.
    private const int FirstContactDays = 30, FirstWeekDays = 7, RapidJobSearchDays = 30, SustainedDays = 91;

    private static readonly DateOnly FirstDay = new(2000, 1, 1);
    private static readonly int FirstDayNumber = FirstDay.DayNumber;
    private static readonly int[] MonthOfDay = BuildMonthTable();

    private static int[] BuildMonthTable()
    {
        var table = new int[new DateOnly(2101, 1, 1).DayNumber - FirstDayNumber];
        for (var i = 0; i < table.Length; i++) table[i] = Period.MonthIndex(FirstDay.AddDays(i));
        return table;
    }

    private static int MonthOf(int dayNumber) => MonthOfDay[dayNumber - FirstDayNumber];

    public static List<RawValue> Compute(IEnumerable<ProviderReferrals> providers, IReadOnlyList<Period> periods, Breakdown breakdown,
        IReadOnlyCollection<string> indicators) => Compute(providers, periods, [breakdown], indicators)[0];

    /// <summary>
    /// Several breakdowns in one pass (disclosure control needs a breakdown's whole family and the total): each
    /// referral counts once in each breakdown, in groups laid side by side. One list of figures per breakdown.
    /// </summary>
    public static List<RawValue>[] Compute(IEnumerable<ProviderReferrals> providers, IReadOnlyList<Period> periods,
        IReadOnlyList<Breakdown> breakdowns, IReadOnlyCollection<string> indicators) =>
        Combine(providers.Select(p => Count(p, periods, breakdowns, indicators)), periods, breakdowns, indicators);

    /// <summary>
    /// One provider's tallies for a series of periods and breakdowns (issue 27). Every tally adds up across providers (clients are
    /// numbered within a provider), so an organisation's figures are <see cref="Combine"/> of its providers' tallies: a provider's
    /// are counted once and kept until its referrals change, and an acceptance recounts its own provider only.
    /// </summary>
    public static ProviderTallies Count(ProviderReferrals provider, IReadOnlyList<Period> periods, IReadOnlyList<Breakdown> breakdowns,
        IReadOnlyCollection<string> indicators)
    {
        var pass = new Pass(periods, breakdowns, indicators);
        pass.Count(provider);
        return pass.Tallies();
    }

    /// <summary>The figures of the providers whose tallies these are, one list per breakdown. The tallies were counted with the same
    /// periods, breakdowns and indicators, and are left as they were.</summary>
    public static List<RawValue>[] Combine(IEnumerable<ProviderTallies> providers, IReadOnlyList<Period> periods,
        IReadOnlyList<Breakdown> breakdowns, IReadOnlyCollection<string> indicators)
    {
        var pass = new Pass(periods, breakdowns, indicators);
        foreach (var provider in providers) pass.Add(provider);
        return pass.Results(indicators);
    }

    /// <summary>One computation: the groups of every breakdown side by side, the tallies, and the days kept for medians. It counts one
    /// provider (<see cref="Tallies"/>), or sums providers' tallies (<see cref="Add"/>) into figures (<see cref="Results"/>).</summary>
    private sealed class Pass
    {
        private readonly Windows windows;
        private readonly IReadOnlyList<Breakdown> breakdowns;
        private readonly int periods, k, groups;
        private readonly int[] offsets;

        /// <summary>The breakdowns counted referral by referral; the others are sums of ethnic categories.</summary>
        private readonly int[] counted;

        /// <summary>For a summed group: the category groups it is the sum of.</summary>
        private readonly int[]?[] members;

        private readonly Tally tallies;
        private readonly List<int>?[]? daysToContact, daysToJob;

        // Combined: each provider's days, one sorted run each.
        private readonly List<int[]>?[]? contactRuns, jobRuns;

        // The provider being counted: the groups of referral r, one per breakdown (group[r * k .. r * k + k)), and the
        // counted breakdowns' groups alone.
        private int[] group = [], countedGroup = [];

        public Pass(IReadOnlyList<Period> periods, IReadOnlyList<Breakdown> breakdowns, IReadOnlyCollection<string> indicators)
        {
            windows = new Windows(periods);
            this.breakdowns = breakdowns;
            this.periods = periods.Count;
            k = breakdowns.Count;
            offsets = new int[k + 1];
            for (var b = 0; b < k; b++) offsets[b + 1] = offsets[b] + Breakdowns.Groups(breakdowns[b]).Length;
            groups = offsets[k];
            tallies = new Tally(groups, periods.Count);
            // Beside ethnic categories, broad groups, white British and the total are sums of categories: only people
            // accessed (a person counts once in a group, however many categories their referrals record) is counted for them.
            var categories = breakdowns.ToList().IndexOf(Breakdown.EthnicCategory);
            var summed = breakdowns.Select((b, i) => categories >= 0 && i != categories
                && b is Breakdown.EthnicGroup or Breakdown.WhiteBritish or Breakdown.None).ToArray();
            counted = Enumerable.Range(0, k).Where(b => !summed[b]).ToArray();
            members = new int[groups][];
            for (var b = 0; b < k; b++)
                if (summed[b])
                    for (var g = 0; g < offsets[b + 1] - offsets[b]; g++)
                        members[offsets[b] + g] = Enumerable.Range(0, Breakdowns.EthnicCategories.Length)
                            .Where(c => Breakdowns.GroupOf(breakdowns[b], (byte)c, 0, 0) == g).Select(c => offsets[categories] + c)
                                .ToArray();
            var wantsMedians = indicators.Contains("median_days_to_first_contact") || indicators.Contains("median_days_to_first_job");
            // The days themselves only for the first breakdown's groups (the one whose medians are shown); every breakdown
            // counts them.
            daysToContact = wantsMedians ? new List<int>?[offsets[1] * periods.Count] : null;
            daysToJob = wantsMedians ? new List<int>?[offsets[1] * periods.Count] : null;
            contactRuns = wantsMedians ? new List<int[]>?[offsets[1] * periods.Count] : null;
            jobRuns = wantsMedians ? new List<int[]>?[offsets[1] * periods.Count] : null;
        }

        /// <summary>What has been counted so far, to be kept: the tallies still as difference arrays, which add up.</summary>
        public ProviderTallies Tallies() => new(tallies.Counts, Sorted(daysToContact), Sorted(daysToJob));

        private static int[]?[]? Sorted(List<int>?[]? lists) => lists?.Select(list =>
        {
            if (list is null) return null;
            var run = list.ToArray();
            Array.Sort(run);
            return run;
        }).ToArray();

        public void Add(ProviderTallies other)
        {
            var counts = tallies.Counts;
            if (other.Counts.Length != counts.Length) throw new ArgumentException("The tallies were counted for another series.");
            for (var i = 0; i < counts.Length; i++) counts[i] += other.Counts[i];
            Append(contactRuns, other.DaysToContact);
            Append(jobRuns, other.DaysToJob);

            static void Append(List<int[]>?[]? runs, int[]?[]? more)
            {
                if (runs is null || more is null) return;
                for (var i = 0; i < runs.Length; i++)
                    if (more[i] is { } run) (runs[i] ??= []).Add(run);
            }
        }

        private ReadOnlySpan<int> GroupsOf(int r) => group.AsSpan(r * k, k);

        private ReadOnlySpan<int> CountedOf(int r) => countedGroup.AsSpan(r * counted.Length, counted.Length);

        public void Count(ProviderReferrals p)
        {
            AssignGroups(p);
            for (var r = 0; r < p.Count; r++) CountReferral(p, r);
            CountJobs(p);
            CountPeopleIntoWork(p);
            CountPeopleAccessed(p);
        }

        private void AssignGroups(ProviderReferrals p)
        {
            group = new int[p.Count * k];
            for (var r = 0; r < p.Count; r++)
                for (var b = 0; b < k; b++)
                    group[r * k + b] = offsets[b] + Breakdowns.GroupOf(breakdowns[b], p.Ethnic[r], p.Gender[r], p.AgeBand[r]);
            countedGroup = new int[p.Count * counted.Length];
            for (var r = 0; r < p.Count; r++)
                for (var j = 0; j < counted.Length; j++) countedGroup[r * counted.Length + j] = group[r * k + counted[j]];
        }

        /// <summary>A referral: made, in work when referred, discharged, open, on the caseload; then, once contacted, its access.</summary>
        private void CountReferral(ProviderReferrals p, int r)
        {
            var g = CountedOf(r);
            var referred = p.ReferralDay[r];
            var discharged = p.DischargeDay[r];
            var (lo, hi) = windows.Containing(MonthOf(referred));
            tallies.Add(Cell.Referrals, g, lo, hi);
            if (p.Employment[r] == ProviderReferrals.Employed) tallies.Add(Cell.ReferralsInWork, g, lo, hi);
            if (discharged >= 0)
            {
                (lo, hi) = windows.Containing(MonthOf(discharged));
                tallies.Add(Cell.Discharges, g, lo, hi);
            }
            (lo, hi) = windows.Overlapping(MonthOf(referred), discharged >= 0 ? MonthOf(discharged) : int.MaxValue);
            tallies.Add(Cell.Open, g, lo, hi);
            if (p.Ethnic[r] < Breakdowns.NotStated) tallies.Add(Cell.OpenKnown, g, lo, hi);

            var contact = p.FirstContactDay[r];
            if (contact < 0) return;
            var contactMonth = MonthOf(contact);
            (lo, hi) = windows.EndingBetween(contactMonth, discharged >= 0 ? MonthOf(discharged) - 1 : int.MaxValue);
            tallies.Add(Cell.Caseload, g, lo, hi);
            CountAccess(p, r, g, contact, contactMonth);
        }

        /// <summary>A contacted referral in the periods its first contact falls in: how soon, and what followed by each period's
        /// end.</summary>
        private void CountAccess(ProviderReferrals p, int r, ReadOnlySpan<int> g, int contact, int contactMonth)
        {
            var (lo, hi) = windows.Containing(contactMonth);
            if (lo > hi) return;
            var days = contact - p.ReferralDay[r];
            tallies.Add(Cell.Accessed, g, lo, hi);
            if (days <= FirstContactDays) tallies.Add(Cell.Within30, g, lo, hi);
            if (days <= FirstWeekDays) tallies.Add(Cell.Within7, g, lo, hi);
            else if (days <= FirstContactDays) tallies.Add(Cell.From8To30, g, lo, hi);
            var outOfWork = p.Employment[r] != ProviderReferrals.Employed;
            var firstJob = p.FirstJobFromReferral[r];
            var employer = p.EmployerContactDay[r];
            for (var w = lo; w <= hi; w++)
            {
                daysToContact?.Add(group[r * k], w, periods, days);
                var lastDay = windows.LastDay[w];
                if (outOfWork)
                {
                    tallies.Add(Cell.OutOfWorkAccessed, g, w, w);
                    if (firstJob >= 0 && firstJob <= lastDay) tallies.Add(Cell.IntoWork, g, w, w);
                }
                if (contact <= lastDay - RapidJobSearchDays)
                {
                    tallies.Add(Cell.FollowedUp30Days, g, w, w);
                    if (employer >= 0 && employer <= contact + RapidJobSearchDays) tallies.Add(Cell.RapidJobSearch, g, w, w);
                }
            }
        }

        private void CountJobs(ProviderReferrals p)
        {
            for (var j = 0; j < p.JobStart.Length; j++)
            {
                var g = CountedOf(p.JobReferral[j]);
                var start = p.JobStart[j];
                var (lo, hi) = windows.Containing(MonthOf(start));
                tallies.Add(Cell.JobStarts, g, lo, hi);
                for (var w = lo; w <= hi; w++)
                {
                    if (start > windows.LastDay[w] - SustainedDays) continue;
                    tallies.Add(Cell.FollowedUp91Days, g, w, w);
                    if (p.JobEnd[j] < 0 || p.JobEnd[j] - start > SustainedDays) tallies.Add(Cell.Sustained, g, w, w);
                }
            }
        }

        /// <summary>Each client's first job, in the periods it started in, with the days from first contact to it.</summary>
        private void CountPeopleIntoWork(ProviderReferrals p)
        {
            for (var c = 0; c < p.ClientFirstJobDay.Length; c++)
            {
                var start = p.ClientFirstJobDay[c];
                if (start < 0) continue;
                var r = p.ClientFirstJobReferral[c];
                var (lo, hi) = windows.Containing(MonthOf(start));
                tallies.Add(Cell.PeopleIntoWork, CountedOf(r), lo, hi);
                if (p.FirstContactDay[r] >= 0 && start >= p.FirstContactDay[r])
                {
                    tallies.Add(Cell.DaysToJobValues, CountedOf(r), lo, hi);
                    for (var w = lo; w <= hi; w++) daysToJob?.Add(group[r * k], w, periods, start - p.FirstContactDay[r]);
                }
            }
        }

        /// <summary>
        /// People accessed: a client counts once per period and group, however many of their referrals began then.
        /// Their referrals come ordered by first contact, so the runs of periods only move forward.
        /// </summary>
        private void CountPeopleAccessed(ProviderReferrals p)
        {
            var lastCounted = new int[groups];
            var seenIn = new int[groups];
            for (var i = 0; i < p.Count;)
            {
                var client = p.Client[p.ByClient[i]];
                var run = i + 1;
                for (; i < p.Count && p.Client[p.ByClient[i]] == client; i++)
                {
                    var r = p.ByClient[i];
                    if (p.FirstContactDay[r] < 0) continue;
                    var (lo, hi) = windows.Containing(MonthOf(p.FirstContactDay[r]));
                    foreach (var g in GroupsOf(r))
                    {
                        if (seenIn[g] != run) (seenIn[g], lastCounted[g]) = (run, -1);
                        var from = Math.Max(lo, lastCounted[g] + 1);
                        if (from <= hi) tallies.Add(Cell.PeopleAccessed, g, from, hi);
                        lastCounted[g] = Math.Max(lastCounted[g], hi);
                    }
                }
            }
        }

        /// <summary>Every indicator's figure for every period, breakdown and group, from the tallies.</summary>
        public List<RawValue>[] Results(IReadOnlyCollection<string> indicators)
        {
            tallies.Accumulate();
            var results = new List<RawValue>[k];
            for (var b = 0; b < k; b++) results[b] = [];
            foreach (var id in indicators)
            {
                var measure = IndicatorCatalogue.ById[id].Measure;
                for (var w = 0; w < periods; w++)
                    for (var b = 0; b < k; b++)
                        for (var g = offsets[b]; g < offsets[b + 1]; g++)
                            if (Value(id, measure, b, g, w) is { } value) results[b].Add(value);
            }
            return results;
        }

        private RawValue? Value(string id, Measure measure, int b, int g, int w)
        {
            var inBreakdown = g - offsets[b];
            long T(Cell cell)
            {
                if (cell == Cell.Over30) return T(Cell.Accessed) - T(Cell.Within30);
                if (members[g] is not { } sum || cell == Cell.PeopleAccessed) return tallies[cell, g, w];
                long total = 0;
                foreach (var c in sum) total += tallies[cell, c, w];
                return total;
            }
            // A median and its number of values; the value only for the first breakdown, whose days were kept.
            RawValue Median(Cell values)
            {
                var runs = b == 0 ? (values == Cell.Accessed ? contactRuns : jobRuns)?[g * periods + w] : null;
                return new(id, w, inBreakdown, null, T(values), runs is null ? null : Statistics.MedianOfRuns(runs));
            }
            RawValue Share(long numerator, long denominator) =>
                new(id, w, inBreakdown, numerator, denominator, denominator == 0 ? null : 100.0 * numerator / denominator);
            return measure.Kind switch
            {
                MeasureKind.Count => new(id, w, inBreakdown, null, null, T(measure.Numerator!.Value)),
                MeasureKind.Share => Share(T(measure.Numerator!.Value), T(measure.Denominator!.Value)),
                MeasureKind.Median => Median(measure.Denominator!.Value),
                _ => null, // accessed against target: worked out where the targets are
            };
        }
    }

    private static void Add(this List<int>?[] lists, int group, int window, int windows, int value) =>
        (lists[group * windows + window] ??= []).Add(value);

    /// <summary>A provider's tallies (<see cref="Count"/>), with the days of each group and period sorted: read only once made.</summary>
    public sealed record ProviderTallies(long[] Counts, int[]?[]? DaysToContact, int[]?[]? DaysToJob)
    {
        public long EstimatedBytes => 64 + 8L * Counts.Length + Days(DaysToContact) + Days(DaysToJob);

        private static long Days(int[]?[]? runs) => runs is null ? 0 : runs.Sum(r => 32 + 4L * (r?.Length ?? 0)) + 8L * runs.Length;
    }

    /// <summary>Counts per tally, group and period, kept as difference arrays until <see cref="Accumulate"/>.</summary>
    private sealed class Tally(int groups, int windows)
    {
        private static readonly int Cells = Enum.GetValues<Cell>().Length;
        private readonly long[] counts = new long[Cells * groups * (windows + 1)];

        public long[] Counts => counts;

        public void Add(Cell cell, ReadOnlySpan<int> groups, int from, int to)
        {
            foreach (var group in groups) Add(cell, group, from, to);
        }

        public void Add(Cell cell, int group, int from, int to)
        {
            var tally = (int)cell;
            if (from > to) return;
            var row = (tally * groups + group) * (windows + 1);
            counts[row + from]++;
            counts[row + to + 1]--;
        }

        public void Accumulate()
        {
            for (var row = 0; row < counts.Length; row += windows + 1)
                for (var w = 1; w <= windows; w++) counts[row + w] += counts[row + w - 1];
        }

        public long this[Cell cell, int group, int window] => counts[((int)cell * groups + group) * (windows + 1) + window];
    }

    /// <summary>A series of periods, ordered, with the runs of it that contain a month or end in a range.</summary>
    private sealed class Windows
    {
        private readonly int[] first;
        private readonly int[] last;
        public int[] LastDay { get; }

        public Windows(IReadOnlyList<Period> periods)
        {
            first = periods.Select(p => p.FirstMonth).ToArray();
            last = periods.Select(p => p.LastMonth).ToArray();
            LastDay = periods.Select(p => p.LastDayNumber).ToArray();
        }

        private int FirstEndingAtOrAfter(int month)
        {
            int lo = 0, hi = last.Length;
            while (lo < hi) { var mid = (lo + hi) / 2; if (last[mid] >= month) hi = mid; else lo = mid + 1; }
            return lo;
        }

        private int LastStartingAtOrBefore(int month)
        {
            int lo = -1, hi = first.Length - 1;
            while (lo < hi) { var mid = (lo + hi + 1) / 2; if (first[mid] <= month) lo = mid; else hi = mid - 1; }
            return lo;
        }

        private int LastEndingAtOrBefore(int month)
        {
            int lo = -1, hi = last.Length - 1;
            while (lo < hi) { var mid = (lo + hi + 1) / 2; if (last[mid] <= month) lo = mid; else hi = mid - 1; }
            return lo;
        }

        public (int Lo, int Hi) Containing(int month) => (FirstEndingAtOrAfter(month), LastStartingAtOrBefore(month));

        public (int Lo, int Hi) EndingBetween(int fromMonth, int toMonth)
            => (FirstEndingAtOrAfter(fromMonth), LastEndingAtOrBefore(toMonth));

        public (int Lo, int Hi) Overlapping(int fromMonth, int toMonth)
            => (FirstEndingAtOrAfter(fromMonth), LastStartingAtOrBefore(toMonth));
    }
}
