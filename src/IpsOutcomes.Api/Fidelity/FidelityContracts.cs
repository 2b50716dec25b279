namespace IpsOutcomes.Fidelity;

/// <summary>What recording reviews did: how many were new and how many replaced an earlier one of the same provider, date and
/// kind.</summary>
public sealed record ReviewsRecorded(int Recorded, int Replaced, IReadOnlyList<FidelityReview> Reviews);

/// <summary>A provider's new start date for its three years towards the quality mark.</summary>
public sealed record QualityMarkStart(DateOnly StartDate);

/// <summary>A provider's readiness and the thresholds it was judged by.</summary>
public sealed record ProviderReadiness(Readiness Readiness, QualityMarkThresholds Thresholds);

/// <summary>How many providers are ready, and of the others how many are on track, due within 6 months or overdue.</summary>
public sealed record ReadinessCounts(int Providers, int Ready, int OnTrack,
    [property: System.Text.Json.Serialization.JsonPropertyName("due_within_6_months")] int DueWithin6Months, int Overdue)
{
    public static ReadinessCounts Of(IReadOnlyCollection<Readiness> assessed) => new(assessed.Count, assessed.Count(r => r.Ready),
        assessed.Count(r => r.DeadlineState == DeadlineState.OnTrack),
            assessed.Count(r => r.DeadlineState == DeadlineState.DueWithin6Months),
        assessed.Count(r => r.DeadlineState == DeadlineState.Overdue));
}

public sealed record IcbReadiness(string IcbCode, string IcbName, string AsAt, ReadinessCounts Counts, IReadOnlyList<Readiness> Providers,
    QualityMarkThresholds Thresholds);

public sealed record IcbCount(string IcbCode, string IcbName, ReadinessCounts Counts);

public sealed record NationalReadiness(string AsAt, ReadinessCounts England, IReadOnlyList<IcbCount> Icbs,
    QualityMarkThresholds Thresholds);

/// <summary>One provider's latest external review beside its employment rate over the 12 months to the review's month (as the caller may
/// see it).</summary>
public sealed record FidelityPoint(string ProviderCode, string ProviderName, DateOnly ReviewDate, int Total, FidelityBand Band,
    double? EmploymentRate, bool Suppressed);

/// <summary>Of a set of providers with an employment rate, how many reach 43% or more.</summary>
public sealed record ShareAtLeast(int Providers, [property: System.Text.Json.Serialization.JsonPropertyName("at_least_43")] int AtLeast43,
    double? SharePct);

/// <summary>Fidelity beside outcomes: the points, Spearman's correlation between total and employment rate, and the 43% shares.</summary>
public sealed record FidelityOutcomes(string Scope, IReadOnlyList<FidelityPoint> Providers, RankCorrelation Correlation,
    ShareAtLeast GoodOrBetter, ShareAtLeast Others, long DataVersion);
