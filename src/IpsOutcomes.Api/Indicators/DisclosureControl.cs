namespace IpsOutcomes.Indicators;

/// <summary>A figure as published: one row per organisation × period × indicator × breakdown group.</summary>
public sealed record IndicatorValue(
    string OrganisationCode, string OrganisationName, string OrganisationLevel,
    string PeriodType, string Period, DateOnly PeriodStart, DateOnly PeriodEnd,
    string IndicatorId, Unit Unit, string Breakdown, string Group,
    long? Numerator, long? Denominator, double? Value, double? LowerCi, double? UpperCi,
    double? Benchmark, Comparison? Comparison, bool Suppressed, long DataVersion);

/// <summary>
/// NHS England's small-number rules for its mental health statistics, as pure functions: below England level, a
/// count under 5 is suppressed and any other is rounded to the nearest 5; a percentage is suppressed when its
/// numerator or denominator is under 5, and otherwise computed from the unrounded numbers and shown to whole
/// percent, its interval with it. A median follows its count of values. England is exact.
/// </summary>
public static class DisclosureControl
{
    public const int Threshold = 5;

    public static long? SafeCount(long count) => count < Threshold ? null : (long)Math.Round(count / 5.0, MidpointRounding.AwayFromZero) * 5;

    public static (long? Numerator, long? Denominator, double? Value, double? Lower, double? Upper, Comparison? Comparison, bool Suppressed) Publish(
        RawValue raw, Unit unit, double? benchmark, bool exact)
    {
        switch (unit)
        {
            case Unit.Count:
            {
                var count = (long)raw.Value!.Value;
                if (exact) return (null, null, count, null, null, null, false);
                var safe = SafeCount(count);
                return (null, null, safe, null, null, null, safe is null);
            }
            case Unit.Days:
            {
                var n = raw.Denominator ?? 0;
                if (exact) return (null, n, raw.Value, null, null, null, false);
                return n < Threshold ? (null, SafeCount(n), null, null, null, null, true) : (null, SafeCount(n), raw.Value, null, null, null, false);
            }
            default:
            {
                long numerator = raw.Numerator ?? 0, denominator = raw.Denominator ?? 0;
                var interval = Statistics.Wilson(numerator, denominator);
                Comparison? comparison = interval is { } i && benchmark is { } b ? Statistics.Compare(i, b / 100) : null;
                if (exact)
                    return (numerator, denominator, Round(raw.Value, 2), Round(interval?.Lower * 100, 2), Round(interval?.Upper * 100, 2), comparison, false);
                if (numerator < Threshold || denominator < Threshold)
                    return (SafeCount(numerator), SafeCount(denominator), null, null, null, null, true);
                return (SafeCount(numerator), SafeCount(denominator), Round(raw.Value, 0), Round(interval!.Value.Lower * 100, 0),
                    Round(interval.Value.Upper * 100, 0), comparison, false);
            }
        }
    }

    private static double? Round(double? value, int digits) => value is { } v ? Math.Round(v, digits, MidpointRounding.AwayFromZero) : null;
}
