namespace IpsOutcomes.Returns;

/// <summary>
/// Every rule code, in one place: F for the file, R for a row, W for a row's warnings, X across returns, D for
/// reference-data loads (which report their findings as a return does). The codes are stable: clients switch on them.
/// </summary>
public static class RuleCode
{
    public const string EmptyFile = "F001";
    public const string NotTextCsv = "F002";
    public const string MissingColumn = "F003";
    public const string RepeatedColumn = "F004";
    public const string UnknownColumn = "F005";
    public const string OverLimit = "F006";
    public const string JobColumnsNotConsecutive = "F007";
    public const string InvalidPeriod = "F008";
    public const string RequiredValueEmpty = "R001";
    public const string UnreadableDate = "R002";
    public const string DateAfterPeriod = "R003";
    public const string RepeatedReferral = "R004";
    public const string UnknownCode = "R005";
    public const string ContactBeforeReferral = "R006";
    public const string JobBeforeReferral = "R007";
    public const string DischargeTooEarly = "R008";
    public const string JobEndsBeforeStart = "R009";
    public const string NumberOutOfRange = "R010";
    public const string NhsNumber = "R011";
    public const string EmployerContactBeforeReferral = "R012";
    public const string JobWithoutType = "R013";
    public const string BadIdentifier = "R014";
    public const string EthnicityEmpty = "W001";
    public const string JobAfterDischarge = "W002";
    public const string ClosedBeforePeriod = "W003";
    public const string OverlappingReferrals = "W004";
    public const string MissingFromLastMonth = "X001";
    public const string UnusualVolume = "X002";
    public const string UnknownOrganisation = "D001";
    public const string BadFinancialYear = "D002";
    public const string BadGroup = "D003";
    public const string BadCount = "D004";
    public const string RepeatedReferenceRow = "D005";
    public const string GroupsMixed = "D006";
}
