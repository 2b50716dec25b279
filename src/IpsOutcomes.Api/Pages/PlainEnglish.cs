using System.Globalization;
using IpsOutcomes.Returns;
using IpsOutcomes.Submissions;

namespace IpsOutcomes.Pages;

/// <summary>The words the pages use for the service's codes, in the NHS.UK content style.</summary>
public static class PlainEnglish
{
    // The service runs in invariant globalisation mode, so English month names are its own.
    private static readonly string[] MonthNames =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    public static string Month(string period) =>
        ReturnPeriod.TryParse(period, out var month) ? Month(month) : period;

    public static string Month(ReturnPeriod month) => $"{MonthNames[month.FirstDay.Month - 1]} {month.FirstDay.Year}";

    public static string ShortMonth(DateOnly date) => $"{MonthNames[date.Month - 1][..3]} {date.Year % 100:00}";

    public static string Date(DateOnly date) => $"{date.Day} {MonthNames[date.Month - 1]} {date.Year}";

    private static readonly TimeZoneInfo UkTime =
        TimeZoneInfo.TryFindSystemTimeZoneById("Europe/London", out var london) ? london : TimeZoneInfo.Utc;

    /// <summary>A moment in UK time (GMT or BST), as "10 April 2025 at 9:05am".</summary>
    public static string Time(DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, UkTime);
        return $"{Date(DateOnly.FromDateTime(local.DateTime))} at {(local.Hour + 11) % 12 + 1}:{local.Minute:00}{(local.Hour < 12 ? "am" : "pm")}";
    }

    /// <summary>A file size as people say it: "400 MB", "100 KB".</summary>
    public static string Size(long bytes) => bytes >= 1_000_000
        ? $"{(bytes / 1_000_000.0).ToString("0.#", CultureInfo.InvariantCulture)} MB"
        : $"{Math.Max(1, bytes / 1000)} KB";

    public static string Count(long? count) => count is { } c ? c.ToString("N0", CultureInfo.InvariantCulture) : "not shown";

    /// <summary>A submission's status as words and the colour of its tag.</summary>
    public static (string Words, string Colour) Status(SubmissionStatus status)
    {
        var (words, colour) = status.Look();
        return (words, Tag(colour));
    }

    /// <summary>A month's return as completeness sees it, in the words and colour the grid uses too: words, and the tag's colour.</summary>
    public static (string Words, string Colour) Completeness(MonthEnd.ReturnState status, bool pastDue)
    {
        var look = MonthEnd.ReturnStateLook.Of(status, pastDue);
        return (look.Words, Tag(look.Colour));
    }

    /// <summary>The design system's name for a tag's colour (<c>nhsuk-tag--green</c>).</summary>
    private static string Tag(Infrastructure.StateColour colour) => colour.ToString().ToLowerInvariant();

    /// <summary>A figure in words, as the charts write it; "not shown" where the rules hide it.</summary>
    public static string InUnit(double? value, Indicators.Unit unit) => value is { } v ? Charts.ChartFrame.InUnit(v, unit) : "not shown";

    public static string Interval(double? lower, double? upper, Indicators.Unit unit) =>
        lower is null || upper is null ? "" : $"{InUnit(lower, unit)} to {InUnit(upper, unit)}";

    /// <summary>A comparison in words: "Better than England (36.4%)".</summary>
    public static string Against(Indicators.ComparatorOutcome comparison, Indicators.Unit unit)
    {
        var whom = comparison.Comparator switch { "icb" => "the ICB", "region" => "the region", "england" => "England", _ => "the benchmark" };
        var value = comparison.Value is null ? "" : $" ({InUnit(comparison.Value, unit)})";
        return comparison.Outcome switch
        {
            Indicators.Outcome.Better => $"Better than {whom}{value}",
            Indicators.Outcome.Worse => $"Worse than {whom}{value}",
            Indicators.Outcome.Higher => $"Higher than {whom}{value}",
            Indicators.Outcome.Lower => $"Lower than {whom}{value}",
            Indicators.Outcome.Similar => $"Similar to {whom}{value}",
            _ => $"Not compared with {whom}",
        };
    }

    /// <summary>The recent trend as comparisons.md words it.</summary>
    public static string Trend(Indicators.TrendTest? trend) => trend switch
    {
        null => "",
        { Direction: Indicators.TrendDirection.Increasing, Judgement: Indicators.TrendJudgement.GettingBetter } => "Increasing and getting better",
        { Direction: Indicators.TrendDirection.Increasing, Judgement: Indicators.TrendJudgement.GettingWorse } => "Increasing and getting worse",
        { Direction: Indicators.TrendDirection.Decreasing, Judgement: Indicators.TrendJudgement.GettingBetter } => "Decreasing and getting better",
        { Direction: Indicators.TrendDirection.Decreasing, Judgement: Indicators.TrendJudgement.GettingWorse } => "Decreasing and getting worse",
        { Direction: Indicators.TrendDirection.Increasing } => "Increasing",
        { Direction: Indicators.TrendDirection.Decreasing } => "Decreasing",
        { Direction: Indicators.TrendDirection.NoSignificantChange } => "No significant change",
        _ => "Cannot be calculated",
    };

    /// <summary>
    /// What an indicator means, as a commissioner would say it (pages.md): no column or parameter names. The catalogue's
    /// definition stays the precise one for BI users.
    /// </summary>
    public static string Describe(Indicators.IndicatorDefinition indicator) => Descriptions[indicator.Id];

    private const string Seen = "had their first meeting with an employment specialist";

    private static readonly Dictionary<string, string> Descriptions = new()
    {
        ["referrals"] = "People referred to the IPS service in the period.",
        ["referrals_in_work_pct"] = "Of the people referred in the period, the share who already had a job when they were referred. " +
            "IPS Grow's guidance is no more than 15%: the service is for people looking for work.",
        ["accessed"] = $"Referrals where the person {Seen} in the period: the national measure of access to IPS.",
        ["people_accessed"] = $"People who {Seen} in the period, each counted once however many times they were referred.",
        ["caseload"] = "People the service was supporting at the end of the period: seen at least once and not yet discharged.",
        ["first_contact_within_30_days_pct"] = $"Of the people who {Seen} in the period, the share seen within 30 days of being referred.",
        ["first_contact_0_7_days_pct"] = $"Of the people who {Seen} in the period, the share seen within a week of being referred.",
        ["first_contact_8_30_days_pct"] = $"Of the people who {Seen} in the period, the share seen 8 to 30 days after being referred.",
        ["first_contact_over_30_days_pct"] = $"Of the people who {Seen} in the period, the share who waited more than 30 days after being referred.",
        ["median_days_to_first_contact"] = $"How long people usually waited, in days, from being referred to their first meeting (the middle value, for those who {Seen} in the period).",
        ["accessed_vs_target_pct"] = $"People who {Seen} so far this financial year, against the ICB's access target for the year.",
        ["people_into_work"] = "People who started their first paid job with the service's support in the period.",
        ["job_starts"] = "Paid jobs (employed or self-employed) that started in the period; one person may start more than one.",
        ["employment_rate"] = $"Of the people out of work when they were referred who {Seen} in the period, the share who have started a paid job. " +
            "Best read over a year or a quarter; IPS Grow's benchmark is 40%.",
        ["rapid_job_search_pct"] = $"Of the people who {Seen} in the period, the share whose specialist met an employer for them within 30 days " +
            "(only people seen at least 30 days before the end of the period are counted).",
        ["median_days_to_first_job"] = "How long people usually took, in days, from their first meeting to their first paid job (the middle value, for those who started work in the period).",
        ["job_sustained_13_weeks_pct"] = "Of the paid jobs that started in the period (at least 13 weeks before its end), the share still going 13 weeks later.",
        ["discharges"] = "People discharged from the IPS service in the period.",
        ["ethnicity_recorded_pct"] = "Of the people the service worked with in the period, the share whose ethnicity is recorded (not \"not stated\" or \"not known\").",
    };

    /// <summary>A chi-squared test in words: "no evidence that access differs between groups (p = 0.83)".</summary>
    public static string Test(double? pValue, bool? significant, bool suppressed, string what) => (pValue, significant, suppressed) switch
    {
        (_, _, true) => $"Whether {what} differs between groups cannot be tested: too few people to publish.",
        (null, _, _) => $"Whether {what} differs between groups cannot be tested with these figures.",
        ({ } p, true, _) => $"There is evidence that {what} differs between groups (p {PValue(p)}).",
        ({ } p, _, _) => $"There is no evidence that {what} differs between groups (p {PValue(p)}).",
    };

    private static string PValue(double p) => p < 0.001 ? "< 0.001" : "= " + p.ToString("0.###", CultureInfo.InvariantCulture);
}
