namespace IpsOutcomes.Returns;

public sealed record ReturnRule(string Code, Severity Severity, string Rule);

/// <summary>The validation rules of return format v1, served as data and used where a finding's row values must not be shown.</summary>
public static class ReturnRules
{
    public static readonly IReadOnlyList<ReturnRule> All =
    [
        new(RuleCode.EmptyFile, Severity.Error, "empty file, or no header row"),
        new(RuleCode.NotTextCsv, Severity.Error, "not a text CSV (binary content, an encoding that cannot be read, or a broken quoted field)"),
        new(RuleCode.MissingColumn, Severity.Error, "a required column is missing"),
        new(RuleCode.RepeatedColumn, Severity.Error, "the same column appears twice"),
        new(RuleCode.UnknownColumn, Severity.Warning, "unknown column (ignored), with a suggestion where a known name is close"),
        new(RuleCode.OverLimit, Severity.Error, "file over the size or row limit"),
        new(RuleCode.JobColumnsNotConsecutive, Severity.Error, "job columns are not consecutive (job_3_* without job_2_*)"),
        new(RuleCode.InvalidPeriod, Severity.Error, "the period is not a valid month, or is after the current month"),
        new(RuleCode.RequiredValueEmpty, Severity.Error, "a required value is empty"),
        new(RuleCode.UnreadableDate, Severity.Error, "a date cannot be read (wrong format, impossible date, two-digit year, before 2000)"),
        new(RuleCode.DateAfterPeriod, Severity.Error, "a date is after the last day of the return's period"),
        new(RuleCode.RepeatedReferral, Severity.Error, "referral_id appears on more than one row"),
        new(RuleCode.UnknownCode, Severity.Error, "a code is not in its code list"),
        new(RuleCode.ContactBeforeReferral, Severity.Error, "first_contact_date is before referral_date"),
        new(RuleCode.JobBeforeReferral, Severity.Error, "a job starts before referral_date"),
        new(RuleCode.DischargeTooEarly, Severity.Error, "discharge_date is before referral_date, or before first_contact_date"),
        new(RuleCode.JobEndsBeforeStart, Severity.Error, "a job ends before it starts"),
        new(RuleCode.NumberOutOfRange, Severity.Error, "job_N_hours_per_week or age_at_referral out of range, or not a number"),
        new(RuleCode.NhsNumber, Severity.Error, "a value looks like an NHS number: returns are pseudonymised and must never carry one"),
        new(RuleCode.EmployerContactBeforeReferral, Severity.Error, "first_employer_contact_date is before referral_date"),
        new(RuleCode.JobWithoutType, Severity.Error, "a job has a start date but no job_N_type"),
        new(RuleCode.BadIdentifier, Severity.Error, "an identifier is longer than 64 characters or has characters outside the allowed set"),
        new(RuleCode.EthnicityEmpty, Severity.Warning, "ethnic_category empty (read as 99)"),
        new(RuleCode.JobAfterDischarge, Severity.Warning, "a job starts after discharge_date"),
        new(RuleCode.ClosedBeforePeriod, Severity.Warning, "the referral was closed before the period (a restated history row)"),
        new(RuleCode.OverlappingReferrals, Severity.Warning, "the same client_id has two referrals open at the same time"),
        new(RuleCode.MissingFromLastMonth, Severity.Warning, "a referral open in the previous month's accepted return is missing, with no discharge date"),
        new(RuleCode.UnusualVolume, Severity.Warning, "this month's referrals are more than three times, or less than a third of, the median of the previous six months"),
    ];

    public static readonly IReadOnlyDictionary<string, ReturnRule> ByCode = All.ToDictionary(r => r.Code);
}
