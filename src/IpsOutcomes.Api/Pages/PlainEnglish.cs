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
}
