using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Indicators;

public enum Unit { Count, Percent, Days }

/// <summary>
/// Which way is good (comparisons.md): a higher value, a lower one, or neither (volumes, which are compared as
/// higher or lower, never better or worse).
/// </summary>
public enum Polarity { HigherIsBetter, LowerIsBetter, NoJudgement }

public enum MeasureKind { Count, Share, Median, AgainstTarget }

/// <summary>
/// How an indicator is worked out from the engine's cells: a count of one cell, one cell's share of another, the
/// median of the values a cell counts (days from referral to first contact for <see cref="Cell.Accessed"/>, from first
/// contact to first job for <see cref="Cell.DaysToJobValues"/>), or the year-to-date accessed against a target.
/// </summary>
public sealed record Measure(MeasureKind Kind, Cell? Numerator, Cell? Denominator)
{
    public static Measure CountOf(Cell cell) => new(MeasureKind.Count, cell, null);
    public static Measure ShareOf(Cell numerator, Cell denominator) => new(MeasureKind.Share, numerator, denominator);
    public static Measure MedianOf(Cell values) => new(MeasureKind.Median, null, values);
    public static readonly Measure AccessedAgainstTarget = new(MeasureKind.AgainstTarget, null, null);

    /// <summary>The cells a row of this measure shows: its count, or its numerator and denominator (a median: its number of
    /// values).</summary>
    public (Cell? Numerator, Cell? Denominator) Cells => (Numerator, Denominator);

    public Unit Unit => Kind switch { MeasureKind.Count => Unit.Count, MeasureKind.Median => Unit.Days, _ => Unit.Percent };
}

/// <summary>An indicator: what it means and which way is good (served as data), and how it is worked out (its <see cref="Measure"/>, not
/// served).</summary>
public sealed record IndicatorDefinition(
    string Id, string Name, string Category, string Definition, string? Numerator, string? Denominator, Unit Unit,
    double? Benchmark, string? BenchmarkSource, string Source,
    [property: CsvHelper.Configuration.Attributes.TypeConverter(typeof(SnakeCaseCsv<Polarity>))] Polarity Polarity,
    [property: System.Text.Json.Serialization.JsonIgnore, CsvHelper.Configuration.Attributes.Ignore] Measure Measure);

/// <summary>Every indicator of indicators.md, served as data.</summary>
public static class IndicatorCatalogue
{
    private const string IpsGrow = "IPS Grow Reporting Tool";
    private const string Mhs116 = "MHSDS IPS access measure (MHS116)";

    public static readonly IReadOnlyList<IndicatorDefinition> All =
    [
        new("referrals", "Referrals", "access", "Referrals with referral_date in the period.", null, null, Unit.Count, null, null, IpsGrow,
            Polarity.NoJudgement, Measure.CountOf(Cell.Referrals)),
        new("referrals_in_work_pct", "Referrals in work at referral", "access",
            "Of referrals in the period, the share employed at referral. Guidance: job-retention and in-work cases should be no more than 15%.",
            "referrals in the period employed at referral", "referrals in the period", Unit.Percent, 15, "IPS Grow guidance (at most 15%)", IpsGrow,
            Polarity.LowerIsBetter, Measure.ShareOf(Cell.ReferralsInWork, Cell.Referrals)),
        new("accessed", "Referrals accessing IPS", "access", "Referrals with first_contact_date in the period (the MHS116 unit).",
            null, null, Unit.Count, null, null, Mhs116,
            Polarity.HigherIsBetter, Measure.CountOf(Cell.Accessed)),
        new("people_accessed", "People accessing IPS", "access", "Distinct clients with a first_contact_date in the period.",
            null, null, Unit.Count, null, null, Mhs116,
            Polarity.NoJudgement, Measure.CountOf(Cell.PeopleAccessed)),
        new("caseload", "Caseload", "access", "Referrals accessed on or before the period's last day and not discharged on or before it.",
            null, null, Unit.Count, null, null, IpsGrow,
            Polarity.NoJudgement, Measure.CountOf(Cell.Caseload)),
        new("first_contact_within_30_days_pct", "First contact within 30 days", "access",
            "Of referrals with first_contact_date in the period, the share first seen 30 days or fewer after referral.",
            "referrals first seen within 30 days", "referrals with first contact in the period", Unit.Percent, null, null, IpsGrow,
            Polarity.HigherIsBetter, Measure.ShareOf(Cell.Within30, Cell.Accessed)),
        new("first_contact_0_7_days_pct", "First contact in 0-7 days", "access",
            "Of referrals with first_contact_date in the period, the share first seen 0 to 7 days after referral.",
            "referrals first seen in 0-7 days", "referrals with first contact in the period", Unit.Percent, null, null, IpsGrow,
            Polarity.HigherIsBetter, Measure.ShareOf(Cell.Within7, Cell.Accessed)),
        new("first_contact_8_30_days_pct", "First contact in 8-30 days", "access",
            "Of referrals with first_contact_date in the period, the share first seen 8 to 30 days after referral.",
            "referrals first seen in 8-30 days", "referrals with first contact in the period", Unit.Percent, null, null, IpsGrow,
            Polarity.NoJudgement, Measure.ShareOf(Cell.From8To30, Cell.Accessed)),
        new("first_contact_over_30_days_pct", "First contact after more than 30 days", "access",
            "Of referrals with first_contact_date in the period, the share first seen more than 30 days after referral.",
            "referrals first seen after 30 days", "referrals with first contact in the period", Unit.Percent, null, null, IpsGrow,
            Polarity.LowerIsBetter, Measure.ShareOf(Cell.Over30, Cell.Accessed)),
        new("median_days_to_first_contact", "Median days to first contact", "access",
            "Median days from referral to first contact, for referrals with first contact in the period.",
            null, "referrals with first contact in the period", Unit.Days, null, null, IpsGrow,
            Polarity.LowerIsBetter, Measure.MedianOf(Cell.Accessed)),
        new("accessed_vs_target_pct", "Access against target", "access",
            "Referrals accessed in the financial year to date against the organisation's access target for that year; shown only where a target exists.",
            "accessed in the financial year to date", "access target for the financial year", Unit.Percent, null, null, Mhs116,
            Polarity.HigherIsBetter, Measure.AccessedAgainstTarget),
        new("people_into_work", "People supported into work", "outcomes",
            "Distinct clients whose first counted job (across all their referrals) starts in the period.", null, null, Unit.Count, null, null, IpsGrow,
            Polarity.HigherIsBetter, Measure.CountOf(Cell.PeopleIntoWork)),
        new("job_starts", "Job starts", "outcomes", "Counted jobs (competitive or self-employed, any N) starting in the period.",
            null, null, Unit.Count, null, null, IpsGrow,
            Polarity.HigherIsBetter, Measure.CountOf(Cell.JobStarts)),
        new("employment_rate", "Employment rate", "outcomes",
            "Of out-of-work-at-referral referrals with first_contact_date in the period, the share with a counted job starting on or after referral and on or before the period's last day. Meaningful over rolling12 and quarter.",
            "those with a counted job by the period's end", "out-of-work referrals with first contact in the period", Unit.Percent,
            40, "IPS Grow employment-rate benchmark (from April 2024)", IpsGrow,
            Polarity.HigherIsBetter, Measure.ShareOf(Cell.IntoWork, Cell.OutOfWorkAccessed)),
        new("rapid_job_search_pct", "Rapid job search", "outcomes",
            "Of referrals with first_contact_date in the period and at least 30 days of follow-up before its last day, the share with a first_employer_contact_date within 30 days of first contact.",
            "referrals meeting an employer within 30 days of first contact", "referrals first seen in the period with 30 days' follow-up",
            Unit.Percent, null, null, IpsGrow,
            Polarity.HigherIsBetter, Measure.ShareOf(Cell.RapidJobSearch, Cell.FollowedUp30Days)),
        new("median_days_to_first_job", "Median days to first job", "outcomes",
            "Median days from first contact to first counted job, for the people supported into work in the period.",
            null, "people supported into work in the period", Unit.Days, null, null, IpsGrow,
            Polarity.LowerIsBetter, Measure.MedianOf(Cell.DaysToJobValues)),
        new("job_sustained_13_weeks_pct", "Jobs sustained 13 weeks", "outcomes",
            "Of counted jobs that started in the period and at least 91 days before its last day, the share with no end date within 91 days of the start.",
            "jobs with no end within 91 days", "counted jobs started in the period at least 91 days before its end", Unit.Percent, null, null, IpsGrow,
            Polarity.HigherIsBetter, Measure.ShareOf(Cell.Sustained, Cell.FollowedUp91Days)),
        new("discharges", "Discharges", "outcomes", "Referrals with discharge_date in the period.", null, null, Unit.Count, null, null, IpsGrow,
            Polarity.NoJudgement, Measure.CountOf(Cell.Discharges)),
        new("ethnicity_recorded_pct", "Ethnicity recorded", "data_quality",
            "Of referrals open at any time in the period, the share with ethnic_category A-S (not Z, not 99).",
            "open referrals with a known ethnic category", "referrals open in the period", Unit.Percent, null, null, "NHS Data Dictionary",
            Polarity.HigherIsBetter, Measure.ShareOf(Cell.OpenKnown, Cell.Open)),
    ];

    public static readonly IReadOnlyDictionary<string, IndicatorDefinition> ById = All.ToDictionary(d => d.Id);
}

public enum Breakdown { None, EthnicGroup, EthnicCategory, WhiteBritish, Gender, AgeBand }

/// <summary>The groups of each breakdown, and which group a referral's recorded values put it in.</summary>
public static class Breakdowns
{
    // Ethnic categories in the order the snapshot stores them: A-S, then Z, then 99.
    public static readonly string[] EthnicCategories = ["A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S", "Z", "99"];
    public const byte NotStated = 16;
    public const byte NotKnown = 17;

    public static readonly string[] EthnicGroups = ["white", "mixed", "asian", "black", "other", "not_stated", "not_known"];
    private static readonly byte[] EthnicGroupOfCategory = [0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 4, 4, 5, 6];

    public static readonly string[] Genders = ["male", "female", "indeterminate", "not_known", "not_recorded"];
    public static readonly string[] AgeBands = ["16-25", "26-40", "41-55", "56+", "unknown"];
    public static readonly string[] WhiteBritishGroups = ["white_british", "other_known", "not_stated", "not_known"];

    public static string[] Groups(Breakdown breakdown) => breakdown switch
    {
        Breakdown.None => ["all"],
        Breakdown.EthnicGroup => EthnicGroups,
        Breakdown.EthnicCategory => EthnicCategories,
        Breakdown.WhiteBritish => WhiteBritishGroups,
        Breakdown.Gender => Genders,
        _ => AgeBands,
    };

    /// <summary>Groups that are not a known ethnicity: reported beside, but left out of shares and tests.</summary>
    public static bool IsUnknownEthnicity(Breakdown breakdown, int group) => breakdown switch
    {
        Breakdown.EthnicGroup => group >= 5,
        Breakdown.EthnicCategory => group >= NotStated,
        Breakdown.WhiteBritish => group >= 2,
        _ => false,
    };

    public static byte GroupOf(Breakdown breakdown, byte ethnicCategory, byte gender, byte ageBand) => breakdown switch
    {
        Breakdown.None => 0,
        Breakdown.EthnicGroup => EthnicGroupOfCategory[ethnicCategory],
        Breakdown.EthnicCategory => ethnicCategory,
        Breakdown.WhiteBritish => ethnicCategory switch { 0 => 0, NotStated => 2, NotKnown => 3, _ => 1 },
        Breakdown.Gender => gender,
        _ => ageBand,
    };

    public static string BroadGroupOf(string categoryCode) => EthnicGroups[EthnicGroupOfCategory[EthnicCategoryIndex(categoryCode)]];

    public static byte EthnicCategoryIndex(string code) => Array.IndexOf(EthnicCategories, code) is >= 0 and var i ? (byte)i : NotKnown;

    public static byte GenderIndex(string? code) => code switch { "1" => 0, "2" => 1, "9" => 2, "X" => 3, _ => 4 };

    public static byte AgeBandIndex(int? age) => age switch { null => 4, <= 25 => 0, <= 40 => 1, <= 55 => 2, _ => 3 };

    public static string Name(Breakdown breakdown) => breakdown switch
    {
        Breakdown.None => "none",
        Breakdown.EthnicGroup => "ethnic_group",
        Breakdown.EthnicCategory => "ethnic_category",
        Breakdown.WhiteBritish => "white_british",
        Breakdown.Gender => "gender",
        _ => "age_band",
    };
}
