namespace IpsOutcomes.Returns;

public sealed record ReturnRule(string Code, Severity Severity, string Rule);

/// <summary>The validation rules of return format v1, served as data and used where a finding's row values must not be shown.</summary>
public static class ReturnRules
{
    public static readonly IReadOnlyList<ReturnRule> All =
    [
        new("F001", Severity.Error, "empty file, or no header row"),
        new("F002", Severity.Error, "not a text CSV (binary content, an encoding that cannot be read, or a broken quoted field)"),
        new("F003", Severity.Error, "a required column is missing"),
        new("F004", Severity.Error, "the same column appears twice"),
        new("F005", Severity.Warning, "unknown column (ignored), with a suggestion where a known name is close"),
        new("F006", Severity.Error, "file over the size or row limit"),
        new("F007", Severity.Error, "job columns are not consecutive (job_3_* without job_2_*)"),
        new("F008", Severity.Error, "the period is not a valid month, or is after the current month"),
        new("R001", Severity.Error, "a required value is empty"),
        new("R002", Severity.Error, "a date cannot be read (wrong format, impossible date, two-digit year, before 2000)"),
        new("R003", Severity.Error, "a date is after the last day of the return's period"),
        new("R004", Severity.Error, "referral_id appears on more than one row"),
        new("R005", Severity.Error, "a code is not in its code list"),
        new("R006", Severity.Error, "first_contact_date is before referral_date"),
        new("R007", Severity.Error, "a job starts before referral_date"),
        new("R008", Severity.Error, "discharge_date is before referral_date, or before first_contact_date"),
        new("R009", Severity.Error, "a job ends before it starts"),
        new("R010", Severity.Error, "job_N_hours_per_week or age_at_referral out of range, or not a number"),
        new("R011", Severity.Error, "a value looks like an NHS number: returns are pseudonymised and must never carry one"),
        new("R012", Severity.Error, "first_employer_contact_date is before referral_date"),
        new("R013", Severity.Error, "a job has a start date but no job_N_type"),
        new("R014", Severity.Error, "an identifier is longer than 64 characters or has characters outside the allowed set"),
        new("W001", Severity.Warning, "ethnic_category empty (read as 99)"),
        new("W002", Severity.Warning, "a job starts after discharge_date"),
        new("W003", Severity.Warning, "the referral was closed before the period (a restated history row)"),
        new("W004", Severity.Warning, "the same client_id has two referrals open at the same time"),
        new("X001", Severity.Warning, "a referral open in the previous month's accepted return is missing, with no discharge date"),
        new("X002", Severity.Warning, "this month's referrals are more than three times, or less than a third of, the median of the previous six months"),
    ];

    public static readonly IReadOnlyDictionary<string, ReturnRule> ByCode = All.ToDictionary(r => r.Code);
}
