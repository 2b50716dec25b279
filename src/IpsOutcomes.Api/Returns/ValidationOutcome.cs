namespace IpsOutcomes.Returns;

/// <summary>
/// What the database knows that one file cannot: the provider's previous return, and its recent volumes (how many of
/// the previous six months it returned, and the median of their new referrals, as indicators.md defines a median).
/// </summary>
public sealed record ValidationContext(HashSet<UInt128> PreviousOpenReferralKeys, ReturnPeriod? PreviousPeriod, int MonthsReturned,
    double? MedianMonthlyReferrals)
{
    public static readonly ValidationContext None = new([], null, 0, null);
}

/// <summary>The findings, and the rows held for storing (<c>null</c> when the file could not be read as rows).</summary>
public sealed record ValidationOutcome(FindingSink Findings, int Rows, FileScan Scan, StagedReturn? Staged)
{
    public bool Accepted => Findings.Errors == 0;
}
