namespace IpsOutcomes.Indicators;

/// <summary>One organisation in a funnel plot: its published counts and proportion, where it sits, and its quartile.</summary>
public sealed record FunnelPoint(string Code, string Name, long? Numerator, long? Denominator, double? Value, FunnelPosition? Position, int? Quartile);

/// <summary>The funnel's limits at one denominator, in percent.</summary>
public sealed record FunnelLimitPoint(long Denominator, double Lower95, double Upper95, double Lower998, double Upper998);

/// <summary>
/// A funnel plot's data: every peer's point, England's proportion as the centre line, the limit curves over the
/// range of denominators, and the peers' quartiles (Excel's QUARTILE.INC). Peers with a hidden value are in neither.
/// </summary>
public sealed record FunnelReport(string Indicator, string Level, string PeriodType, string Period, string Comparator, double? ComparatorValue,
    Quartiles? Quartiles, IReadOnlyList<FunnelPoint> Points, IReadOnlyList<FunnelLimitPoint> Limits, long DataVersion);
