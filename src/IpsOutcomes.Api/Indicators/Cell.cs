namespace IpsOutcomes.Indicators;

/// <summary>
/// What the engine counts, per group and period, and what a published row shows: a count indicator's value, a
/// percentage's numerator and denominator, a median's number of values. Several indicators show the same cell (every
/// first-contact percentage and the median days to first contact have <see cref="Accessed"/> as their denominator),
/// so one cell is suppressed or shown alike wherever it appears.
/// </summary>
public enum Cell
{
    Referrals, ReferralsInWork, Accessed, PeopleAccessed, Caseload, Within30, Within7, From8To30,
    /// <summary>Not counted: <see cref="Accessed"/> less <see cref="Within30"/>.</summary>
    Over30,
    PeopleIntoWork, JobStarts, OutOfWorkAccessed, IntoWork, FollowedUp30Days, RapidJobSearch, DaysToJobValues, FollowedUp91Days,
    Sustained, Discharges, Open, OpenKnown,
}

/// <summary>One cell of one organisation's table: a count, in a period, for a group.</summary>
public readonly record struct CellKey(Cell Cell, int Window, int Group);
