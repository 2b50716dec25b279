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

/// <summary>One month of an SPC chart: its value (null for a gap), the segment's mean and limits, and its reading.</summary>
public sealed record SpcMonth(string Period, double? Value, double? Mean, double? LowerLimit, double? UpperLimit, double? LowerNear, double? UpperNear,
    PointState? State, IReadOnlyList<string> Rules);

/// <summary>One organisation's XmR chart, with the icons a board paper shows: the latest point's variation and the assurance against the target.</summary>
public sealed record SpcSeries(string OrganisationCode, string OrganisationName, PointState? Variation, Assurance? Assurance, IReadOnlyList<SpcMonth> Months);

public sealed record SpcReport(string Indicator, Polarity Polarity, double? Target, IReadOnlyList<SpcSeries> Series, long DataVersion);

/// <summary>One indicator on an organisation's spine: its latest rolling year, against its comparators and peers, its trend and its SPC reading.</summary>
public sealed record SpineEntry(string Indicator, string Name, Unit Unit, Polarity Polarity, double? Value, double? LowerCi, double? UpperCi,
    bool Suppressed, IReadOnlyList<ComparatorOutcome> Comparisons, int? Quartile, TrendTest? Trend, PointState? Variation, Assurance? Assurance);

/// <summary>Everything a dashboard tile or a board paper needs about one organisation, in one answer.</summary>
public sealed record SpineReport(string OrganisationCode, string OrganisationName, string OrganisationLevel, string Period, long DataVersion,
    IReadOnlyList<SpineEntry> Indicators);
