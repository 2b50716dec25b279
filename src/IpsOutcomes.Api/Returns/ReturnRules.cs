namespace IpsOutcomes.Returns;

/// <summary>A rule of the return format: its code, its severity, what it checks, and how to put a file right.</summary>
public sealed record ReturnRule(string Code, Severity Severity, string Rule, string Fix);

/// <summary>The validation rules of return format v1, served as data and used where a finding's row values must not be shown.</summary>
public static class ReturnRules
{
    public static readonly IReadOnlyList<ReturnRule> All =
    [
        new(RuleCode.EmptyFile, Severity.Error, "empty file, or no header row",
            "Save the whole month's referrals from your spreadsheet, with the header row first, and send that file. The template has the header row."),
        new(RuleCode.NotTextCsv, Severity.Error, "not a text CSV (binary content, an encoding that cannot be read, or a broken quoted field)",
            "In Excel choose File > Save As > CSV UTF-8 (Comma delimited). Do not send the workbook (.xlsx), a PDF or a zip. If a line is named, look there for a quote mark (\") that is never closed."),
        new(RuleCode.MissingColumn, Severity.Error, "a required column is missing",
            "Add the column, with the name the template uses, even if it is empty on most rows. Names are matched without regard to case, spaces or underscores."),
        new(RuleCode.RepeatedColumn, Severity.Error, "the same column appears twice",
            "Delete one of the two columns: each column appears once."),
        new(RuleCode.UnknownColumn, Severity.Warning, "unknown column (ignored), with a suggestion where a known name is close",
            "Nothing to fix if the column is your own: it is ignored. If it is one of ours spelt differently, rename it to the suggestion."),
        new(RuleCode.OverLimit, Severity.Error, "file over the size or row limit",
            "Check the file holds one provider's one month. If it really is that large, ask your ICB to raise the limit."),
        new(RuleCode.JobColumnsNotConsecutive, Severity.Error, "job columns are not consecutive (job_3_* without job_2_*)",
            "Number a client's jobs 1, 2, 3 and so on without gaps: rename job_3_* to job_2_* if there is no job_2_*."),
        new(RuleCode.InvalidPeriod, Severity.Error, "the period is not a valid month, or is after the current month",
            "Choose the month the return is for: a month that has started, normally the one just ended."),
        new(RuleCode.RequiredValueEmpty, Severity.Error, "a required value is empty",
            "Fill in the value. referral_id, client_id, referral_date and employment_status_at_referral are needed on every row."),
        new(RuleCode.UnreadableDate, Severity.Error, "a date cannot be read (wrong format, impossible date, two-digit year, before 2000)",
            "Write dates as yyyy-mm-dd (2025-03-31) or dd/mm/yyyy (31/03/2025), with a four-digit year, from 2000 on."),
        new(RuleCode.DateAfterPeriod, Severity.Error, "a date is after the last day of the return's period",
            "A date cannot be after the last day of the month the return is for. Check the date, or send the row in a later month's return."),
        new(RuleCode.RepeatedReferral, Severity.Error, "referral_id appears on more than one row",
            "Each referral appears once. Delete the repeated row, or give a different referral its own referral_id."),
        new(RuleCode.UnknownCode, Severity.Error, "a code is not in its code list",
            "Use one of the codes the message lists; the template and the return format give each list."),
        new(RuleCode.ContactBeforeReferral, Severity.Error, "first_contact_date is before referral_date",
            "First contact comes on or after the referral. Check both dates."),
        new(RuleCode.JobBeforeReferral, Severity.Error, "a job starts before referral_date",
            "Only jobs that start on or after the referral count. Check the job's start date and the referral date."),
        new(RuleCode.DischargeTooEarly, Severity.Error, "discharge_date is before referral_date, or before first_contact_date",
            "The discharge comes on or after the referral and the first contact. Check the dates."),
        new(RuleCode.JobEndsBeforeStart, Severity.Error, "a job ends before it starts",
            "A job ends on or after the day it starts. Check both dates."),
        new(RuleCode.NumberOutOfRange, Severity.Error, "job_N_hours_per_week or age_at_referral out of range, or not a number",
            "Hours per week are above 0 and at most 80 (a decimal point is allowed); age at referral is a whole number from 16 to 100."),
        new(RuleCode.NhsNumber, Severity.Error, "a value looks like an NHS number: returns are pseudonymised and must never carry one",
            "Returns are pseudonymised. Remove NHS numbers from every column and use your own referral and client ids. Nothing in the file was stored."),
        new(RuleCode.EmployerContactBeforeReferral, Severity.Error, "first_employer_contact_date is before referral_date",
            "First employer contact comes on or after the referral. Check both dates."),
        new(RuleCode.JobWithoutType, Severity.Error, "a job has a start date but no job_N_type",
            "Say what kind of job it is: competitive, self_employed or other_paid."),
        new(RuleCode.BadIdentifier, Severity.Error, "an identifier is longer than 64 characters or has characters outside the allowed set",
            "Ids are up to 64 characters: letters, digits and - _ . / for referral_id; no control characters in client_id."),
        new(RuleCode.EthnicityEmpty, Severity.Warning, "ethnic_category empty (read as 99)",
            "Record the person's ethnic category (A to S), Z if they chose not to say, or 99 if it is not known. The equality figures need it."),
        new(RuleCode.JobAfterDischarge, Severity.Warning, "a job starts after discharge_date",
            "Check the job's start date and the discharge date: a job found after discharge is not counted as IPS's outcome."),
        new(RuleCode.ClosedBeforePeriod, Severity.Warning, "the referral was closed before the period (a restated history row)",
            "Nothing to fix if you are correcting history; otherwise the row can be left out of later returns."),
        new(RuleCode.OverlappingReferrals, Severity.Warning, "the same client_id has two referrals open at the same time",
            "Check whether the earlier referral should have a discharge date."),
        new(RuleCode.MissingFromLastMonth, Severity.Warning, "a referral open in the previous month's accepted return is missing, with no discharge date",
            "Send every referral that was open last month, with its discharge date if it has closed. Records must not vanish."),
        new(RuleCode.UnusualVolume, Severity.Warning, "this month's referrals are more than three times, or less than a third of, the median of the previous six months",
            "Check the file is complete and for the right month. If the change is real, there is nothing to fix."),
    ];

    public static readonly IReadOnlyDictionary<string, ReturnRule> ByCode = All.ToDictionary(r => r.Code);
}
