using System.Globalization;

namespace IpsOutcomes.Returns;

/// <summary>A calendar month a return is for, written yyyy-MM.</summary>
public readonly record struct ReturnPeriod(int Year, int Month)
{
    public DateOnly FirstDay => new(Year, Month, 1);
    public DateOnly LastDay => FirstDay.AddMonths(1).AddDays(-1);
    public ReturnPeriod Previous => FromDate(FirstDay.AddMonths(-1));
    public static ReturnPeriod FromDate(DateOnly date) => new(date.Year, date.Month);
    public override string ToString() => $"{Year:D4}-{Month:D2}";

    /// <summary>The first and last months a return can be for.</summary>
    public static readonly ReturnPeriod Earliest = new(2000, 1), Latest = new(2099, 12);

    public static bool TryParse(string? text, out ReturnPeriod period)
    {
        period = default;
        if (text is not { Length: 7 } || text[4] != '-'
            || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month)
            || year is < 2000 or > 2099 || month is < 1 or > 12)
            return false;
        period = new ReturnPeriod(year, month);
        return true;
    }
}
