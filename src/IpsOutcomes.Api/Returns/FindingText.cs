using System.Globalization;
using System.Text;

namespace IpsOutcomes.Returns;

/// <summary>
/// One thing a finding can say: its rule code, its severity and its words, with {0}, {1} … for the values. Formatted
/// only when the finding is kept: a file can draw hundreds of thousands of one warning, and past the kept ones only
/// their count is needed.
/// </summary>
public sealed class FindingText(string code, Severity severity, string words)
{
    private readonly CompositeFormat format = CompositeFormat.Parse(words);

    public string Code { get; } = code;
    public Severity Severity { get; } = severity;

    /// <summary>As a problem's detail: the rule code, then the words.</summary>
    public string Detail<T0>(T0 a) => $"{Code}: {Format(a)}";

    public string Format() => format.Format;
    public string Format<T0>(T0 a) => string.Format(CultureInfo.InvariantCulture, format, a);
    public string Format<T0, T1>(T0 a, T1 b) => string.Format(CultureInfo.InvariantCulture, format, a, b);
    public string Format<T0, T1, T2>(T0 a, T1 b, T2 c) => string.Format(CultureInfo.InvariantCulture, format, a, b, c);
    public string Format<T0, T1, T2, T3>(T0 a, T1 b, T2 c, T3 d) => string.Format(CultureInfo.InvariantCulture, format, [a, b, c, d]);
}

/// <summary>
/// Every message a finding can carry, in one place: returns, reference-data loads and the upload's own checks take
/// their words from here, so one rule reads the same wherever it is broken.
/// </summary>
public static class Says
{
    private static FindingText Error(string code, string words) => new(code, Severity.Error, words);
    private static FindingText Warning(string code, string words) => new(code, Severity.Warning, words);

    // The file as a whole
    public static readonly FindingText FileEmpty = Error(RuleCode.EmptyFile, "The file is empty.");
    public static readonly FindingText NoHeader = Error(RuleCode.EmptyFile, "The file has no header row.");
    public static readonly FindingText NoReferrals = Error(RuleCode.EmptyFile, "The file has a header row but no referrals. A return lists every referral open at any time in the month.");
    public static readonly FindingText Workbook = Error(RuleCode.NotTextCsv, "This is an Excel workbook or another zip file, not CSV. In Excel choose File > Save As > CSV UTF-8 (Comma delimited).");
    public static readonly FindingText Pdf = Error(RuleCode.NotTextCsv, "This is a PDF, not a CSV file.");
    public static readonly FindingText Binary = Error(RuleCode.NotTextCsv, "The file contains binary content (NUL bytes); it is not a text CSV file.");
    public static readonly FindingText BrokenCsv = Error(RuleCode.NotTextCsv, "The CSV cannot be read from this line on (a broken quoted field?).");
    public static readonly FindingText UnclosedQuote = Error(RuleCode.NotTextCsv, "A quoted field that starts on this line is never closed, so the rest of the file cannot be read.");
    public static readonly FindingText FileTooLarge = Error(RuleCode.OverLimit, "The file is {0:N0} bytes; the limit is {1:N0}.");
    public static readonly FindingText UploadTooLarge = Error(RuleCode.OverLimit, "The upload is larger than the limit of {0:N0} bytes.");
    public static readonly FindingText TooManyRows = Error(RuleCode.OverLimit, "The file has more than {0:N0} rows, the limit. Nothing was stored.");
    public static readonly FindingText MoreNotListed = Warning(RuleCode.OverLimit, "{0:N0} more findings were counted but not listed; fix the ones above and upload again.");
    public static readonly FindingText NotAMonth = Error(RuleCode.InvalidPeriod, "The period is a month written yyyy-MM (for example {0:yyyy-MM}).");
    public static readonly FindingText MonthNotStarted = Error(RuleCode.InvalidPeriod, "The return is for {0}, which has not started yet.");

    // The header
    public static readonly FindingText MissingColumn = Error(RuleCode.MissingColumn, "The required column '{0}' is missing.");
    public static readonly FindingText RepeatedColumn = Error(RuleCode.RepeatedColumn, "Column '{0}' appears more than once (columns {1} and {2}).");
    public static readonly FindingText UnknownColumn = Warning(RuleCode.UnknownColumn, "Column '{0}' is not part of the return format and was ignored.");
    public static readonly FindingText UnknownColumnLike = Warning(RuleCode.UnknownColumn, "Column '{0}' is not part of the return format and was ignored. Did you mean '{1}'?");
    public static readonly FindingText JobColumnsGap = Error(RuleCode.JobColumnsNotConsecutive, "Job columns must be numbered 1, 2, 3 … without gaps: job_{0}_* is there but job_{1}_* is not.");

    // A row's values
    public static readonly FindingText Empty = Error(RuleCode.RequiredValueEmpty, "{0} is empty.");
    public static readonly FindingText BadReferralId = Error(RuleCode.BadIdentifier, "referral_id must be 1 to 64 letters, digits or - _ . / characters.");
    public static readonly FindingText BadClientId = Error(RuleCode.BadIdentifier, "client_id must be 1 to 64 characters with no control characters.");
    public static readonly FindingText NhsNumber = Error(RuleCode.NhsNumber, "This value looks like an NHS number. Returns must be pseudonymised: remove NHS numbers and use your own ids.");
    public static readonly FindingText DateAfterPeriod = Error(RuleCode.DateAfterPeriod, "{0} {1:yyyy-MM-dd} is after the end of the return's month ({2:yyyy-MM-dd}).");
    public static readonly FindingText TwoDigitYear = Error(RuleCode.UnreadableDate, "{0} '{1}' has a two-digit year; write the year in full (dd/mm/yyyy or yyyy-mm-dd).");
    public static readonly FindingText DateTooEarly = Error(RuleCode.UnreadableDate, "{0} '{1}' is before 2000-01-01.");
    public static readonly FindingText NotADate = Error(RuleCode.UnreadableDate, "{0} '{1}' is not a date. Use yyyy-mm-dd or dd/mm/yyyy.");
    public static readonly FindingText UnknownCode = Error(RuleCode.UnknownCode, "{0} '{1}' is not one of: {2}.");
    public static readonly FindingText EthnicityEmpty = Warning(RuleCode.EthnicityEmpty, "ethnic_category is empty and was read as 99 (not known). Record it where you can.");
    public static readonly FindingText AgeOutOfRange = Error(RuleCode.NumberOutOfRange, "age_at_referral '{0}' must be a whole number from 16 to 100.");
    public static readonly FindingText HoursOutOfRange = Error(RuleCode.NumberOutOfRange, "{0} '{1}' must be a number of hours above 0 and at most 80.");

    // A row's dates against each other
    public static readonly FindingText ContactBeforeReferral = Error(RuleCode.ContactBeforeReferral, "first_contact_date {0:yyyy-MM-dd} is before referral_date {1:yyyy-MM-dd}.");
    public static readonly FindingText EmployerContactBeforeReferral = Error(RuleCode.EmployerContactBeforeReferral, "first_employer_contact_date {0:yyyy-MM-dd} is before referral_date {1:yyyy-MM-dd}.");
    public static readonly FindingText DischargeBeforeReferral = Error(RuleCode.DischargeTooEarly, "discharge_date {0:yyyy-MM-dd} is before referral_date {1:yyyy-MM-dd}.");
    public static readonly FindingText DischargeBeforeContact = Error(RuleCode.DischargeTooEarly, "discharge_date {0:yyyy-MM-dd} is before first_contact_date {1:yyyy-MM-dd}.");
    public static readonly FindingText ClosedBeforePeriod = Warning(RuleCode.ClosedBeforePeriod, "This referral was closed on {0:yyyy-MM-dd}, before {1}: kept as restated history.");
    public static readonly FindingText JobWithoutType = Error(RuleCode.JobWithoutType, "Job {0} has a start date but no {1}.");
    public static readonly FindingText JobBeforeReferral = Error(RuleCode.JobBeforeReferral, "Job {0} starts on {1:yyyy-MM-dd}, before referral_date {2:yyyy-MM-dd}.");
    public static readonly FindingText JobEndsBeforeStart = Error(RuleCode.JobEndsBeforeStart, "Job {0} ends on {1:yyyy-MM-dd}, before it starts on {2:yyyy-MM-dd}.");
    public static readonly FindingText JobAfterDischarge = Warning(RuleCode.JobAfterDischarge, "Job {0} starts on {1:yyyy-MM-dd}, after the referral was discharged on {2:yyyy-MM-dd}.");

    // Rows against each other, and against earlier returns
    public static readonly FindingText RepeatedReferral = Error(RuleCode.RepeatedReferral, "This referral_id is also on line {0}; each referral must appear once.");
    public static readonly FindingText OverlappingReferrals = Warning(RuleCode.OverlappingReferrals, "This client also has the referral on line {0} open on {1:yyyy-MM-dd}; check one of them should not have been closed.");
    public static readonly FindingText MissingFromLastMonth = Warning(RuleCode.MissingFromLastMonth, "{0} referral(s) open in your {1} return are missing from this one and have no discharge date. Records must not vanish: send them with their discharge date.");
    public static readonly FindingText UnusualVolume = Warning(RuleCode.UnusualVolume, "{0} new referrals in {1}, against a median of {2:0.#} a month over your previous {3} months. Check the file is complete and for the right month.");

    // Reference data (populations, access targets)
    public static readonly FindingText NotAnOrganisation = Error(RuleCode.UnknownOrganisation, "'{0}' is not a registered provider or ICB.");
    public static readonly FindingText NotAnIcb = Error(RuleCode.UnknownOrganisation, "'{0}' is not an ICB code.");
    public static readonly FindingText MayNotLoadFor = Error(RuleCode.UnknownOrganisation, "This key may not load {0} for {1}.");
    public static readonly FindingText BadFinancialYear = Error(RuleCode.BadFinancialYear, "financial_year is written 2025-26.");
    public static readonly FindingText BadGroup = Error(RuleCode.BadGroup, "group is a broad ethnic group (white, mixed, asian, black, other) or an ethnic category A-S.");
    public static readonly FindingText BadPopulation = Error(RuleCode.BadCount, "count is a whole number of people, 0 or more.");
    public static readonly FindingText BadTarget = Error(RuleCode.BadCount, "target is a whole number of people accessing IPS in the year, above 0.");
    public static readonly FindingText RepeatedReferenceRow = Error(RuleCode.RepeatedReferenceRow, "{0} is also on line {1}.");
    public static readonly FindingText GroupsMixed = Error(RuleCode.GroupsMixed, "{0} {1} mixes broad groups and categories; give one or the other, so no one is counted twice.");
    public static readonly FindingText NoFigures = Error(RuleCode.EmptyFile, "The file has a header row but no {0}.");
}
