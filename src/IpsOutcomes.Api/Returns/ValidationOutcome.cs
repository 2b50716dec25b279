namespace IpsOutcomes.Returns;

/// <summary>What the database knows that one file cannot: the provider's previous return and recent volumes.</summary>
public sealed record ValidationContext(HashSet<UInt128> PreviousOpenReferralKeys, ReturnPeriod? PreviousPeriod, IReadOnlyList<int> PreviousMonthlyReferrals)
{
    public static readonly ValidationContext None = new([], null, []);
}

/// <summary>The findings, and the rows held for storing (<c>null</c> when the file could not be read as rows).</summary>
public sealed record ValidationOutcome(FindingSink Findings, int Rows, FileScan Scan, StagedReturn? Staged)
{
    public bool Accepted => Findings.Errors == 0;
}
