namespace IpsOutcomes.Returns;

/// <summary>How large a return may be, and how many of its findings are kept in full.</summary>
public sealed record ReturnLimits(long MaxBytes, int MaxRows, int MaxFindingsKept)
{
    public static readonly ReturnLimits Default = new(50L * 1024 * 1024, 1_000_000, 100_000);
}
