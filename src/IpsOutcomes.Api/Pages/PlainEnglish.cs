using System.Globalization;
using IpsOutcomes.Returns;

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
    public static (string Words, string Colour) Status(string status) => status switch
    {
        "queued" => ("Waiting to be checked", "blue"),
        "validating" => ("Being checked", "blue"),
        "accepted" => ("Accepted", "green"),
        "rejected" => ("Rejected", "red"),
        "failed" => ("Not processed yet", "orange"),
        "superseded" => ("Replaced by a later return", "grey"),
        _ => (status, "grey"),
    };

    /// <summary>A month's return as completeness sees it.</summary>
    public static (string Words, string Colour) Completeness(string status, bool pastDue) => status switch
    {
        "on_time" => ("On time", "green"),
        "late" => ("Late", "yellow"),
        "rejected_only" => ("Rejected only", "red"),
        _ => pastDue ? ("Missing", "grey") : ("Not sent yet", "white"),
    };

    public static bool IsDecided(string status) => status is "accepted" or "rejected" or "superseded";

    /// <summary>A figure in words, as the charts write it; "not shown" where the rules hide it.</summary>
    public static string Figure(double? value, Indicators.Unit unit) => value is { } v ? Charts.ChartDrawings.Figure(v, unit) : "not shown";

    public static string Interval(double? lower, double? upper, Indicators.Unit unit) =>
        lower is null || upper is null ? "" : $"{Figure(lower, unit)} to {Figure(upper, unit)}";

    /// <summary>A comparison in words: "Better than England (36.4%)".</summary>
    public static string Against(Indicators.ComparatorOutcome comparison, Indicators.Unit unit)
    {
        var whom = comparison.Comparator switch { "icb" => "the ICB", "region" => "the region", "england" => "England", _ => "the benchmark" };
        var value = comparison.Value is null ? "" : $" ({Figure(comparison.Value, unit)})";
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
