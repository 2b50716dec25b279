using IpsOutcomes.Indicators;

namespace IpsOutcomes.MonthEnd;

public sealed record LatestReturn(string Period, int ProvidersExpected, int ProvidersAccepted, Submissions.SubmissionStatus? Status,
    DateTimeOffset? AcceptedAt);

/// <summary>What a dashboard tile shows for a provider or an ICB, in one call.</summary>
public sealed record DashboardSummary(
    string OrganisationCode, string OrganisationName, string OrganisationLevel, string? LatestMonth, long DataVersion,
    IndicatorValue? AccessedRolling12, IndicatorValue? EmploymentRateRolling12, IndicatorValue? EthnicityRecordedRolling12,
    LatestReturn? LatestReturn);
