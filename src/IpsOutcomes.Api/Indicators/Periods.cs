using System.Globalization;

namespace IpsOutcomes.Indicators;

public enum PeriodType { Month, Quarter, Fytd, Rolling12 }

/// <summary>
/// A reporting period of whole months. Months are counted as year * 12 + (month - 1), so a date is in a period
/// when its month index lies between <see cref="FirstMonth"/> and <see cref="LastMonth"/>.
/// </summary>
public sealed record Period(PeriodType Type, int FirstMonth, int LastMonth)
{
    public DateOnly FirstDay => MonthStart(FirstMonth);
    public DateOnly LastDay => MonthStart(LastMonth + 1).AddDays(-1);
    public int LastDayNumber => LastDay.DayNumber;

    public static int MonthIndex(DateOnly date) => date.Year * 12 + date.Month - 1;
    public static DateOnly MonthStart(int monthIndex) => new(monthIndex / 12, monthIndex % 12 + 1, 1);
    public static string MonthLabel(int monthIndex) => MonthStart(monthIndex).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>NHS financial years start in April: FY 2025/26 runs from April 2025 to March 2026.</summary>
    public static int FinancialYearStart(int monthIndex) => monthIndex - ((monthIndex % 12 - 3 + 12) % 12);

    public string Label => Type switch
    {
        PeriodType.Month => MonthLabel(LastMonth),
        PeriodType.Quarter => $"{FinancialYearOf(FirstMonth)}-Q{(FirstMonth - FinancialYearStart(FirstMonth)) / 3 + 1}",
        PeriodType.Fytd => $"{FinancialYearOf(FirstMonth)} to {MonthLabel(LastMonth)}",
        _ => $"12 months to {MonthLabel(LastMonth)}",
    };

    /// <summary>The financial year a month falls in, written as the data is: 2025-26.</summary>
    public static string FinancialYearOf(int monthIndex)
    {
        var year = FinancialYearStart(monthIndex) / 12;
        return $"{year}-{(year + 1) % 100:D2}";
    }

    /// <summary>The period of a type that a month ends, or (for quarters) falls in.</summary>
    public static Period Ending(PeriodType type, int month) => type switch
    {
        PeriodType.Month => new(type, month, month),
        PeriodType.Quarter => new(type, FinancialYearStart(month) + (month - FinancialYearStart(month)) / 3 * 3,
            FinancialYearStart(month) + (month - FinancialYearStart(month)) / 3 * 3 + 2),
        PeriodType.Fytd => new(type, FinancialYearStart(month), month),
        _ => new(type, month - 11, month),
    };

    /// <summary>The series for a range of months: one period per month (one per quarter for quarters), in order.</summary>
    public static IReadOnlyList<Period> Series(PeriodType type, int fromMonth, int toMonth) =>
        Enumerable.Range(fromMonth, toMonth - fromMonth + 1).Select(m => Ending(type, m)).Distinct().ToList();
}
