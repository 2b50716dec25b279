using System.Globalization;

namespace IpsOutcomes.Fidelity;

public enum CriterionState { Met, NotMet, NoData }

public enum DeadlineState { OnTrack, [System.Text.Json.Serialization.JsonStringEnumMemberName("due_within_6_months")] DueWithin6Months, Overdue }

/// <summary>The thresholds a readiness answer used (deployment settings under QualityMark:, with the spec's defaults).</summary>
public sealed record QualityMarkThresholds(int FidelityTotal = 100, int ReviewMonths = 24, double EmploymentRatePct = 40, int ItemScore = 4,
    double EthnicityRecordedPct = 90, int MonthsOfReturns = 12, int Years = 3, int DueWithinMonths = 6)
{
    public static QualityMarkThresholds From(IConfiguration configuration) =>
        configuration.GetSection("QualityMark").Get<QualityMarkThresholds>() ?? new();
}

/// <summary>One criterion: met, not met or no data, the evidence that decided it in words, and for job outcomes whether the interval
/// reaches below the threshold.</summary>
public sealed record Criterion(string Name, CriterionState State, string Evidence,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    bool? LowConfidence = null);

/// <summary>What readiness is judged on for one provider as at a month: exact figures, whatever the caller may see.</summary>
public sealed record ReadinessFacts(
    FidelityReview? LatestExternal,
    long? EmployedNumerator, long? EmployedDenominator, double? EmploymentRate, double? EmploymentLower, double? EmploymentUpper,
    int MonthsAccepted, double? EthnicityRecorded,
    bool PopulationLoaded, int OutcomeGroupsWithDenominator, bool HasReferrals = true);

/// <summary>The quality mark's six criteria (fidelity-and-quality-mark.md) and the deadline, as pure functions.</summary>
public static class QualityMark
{
    public static IReadOnlyList<Criterion> Assess(ReadinessFacts facts, QualityMarkThresholds t)
    {
        static string P(double? value) => value is { } v ? v.ToString("0.#", CultureInfo.InvariantCulture) + "%" : "none";
        var review = facts.LatestExternal;
        var reviewWords = review is null ? "" : $"the external review of {review.ReviewDate:yyyy-MM-dd}";
        int Score(string item) => review?.Scores.GetValueOrDefault(item) ?? 0;
        Criterion Items(string name, string what, params string[] items) => review is null
            ? new(name, CriterionState.NoData, $"No external review in the last {t.ReviewMonths} months.")
            : new(name, items.All(i => Score(i) >= t.ItemScore) ? CriterionState.Met : CriterionState.NotMet,
                $"{what} in {reviewWords}: {string.Join(", ", items.Select(i => $"{i} {Score(i)}"))} (each needs {t.ItemScore} or more).");

        var fidelity = review is null
            ? new Criterion("fidelity", CriterionState.NoData, $"No external review in the last {t.ReviewMonths} months.")
            : new Criterion("fidelity", review.Total >= t.FidelityTotal ? CriterionState.Met : CriterionState.NotMet,
                $"{char.ToUpperInvariant(reviewWords[0])}{reviewWords[1..]} totals {review.Total} ({Infrastructure.CsvOutput.SnakeCase(review.Band).Replace('_', ' ')}); good fidelity is {t.FidelityTotal} or more.");

        Criterion jobs;
        if (facts.EmploymentRate is not { } rate || facts.EmployedDenominator is not > 0)
            jobs = new("job_outcomes", CriterionState.NoData, "No one out of work at referral had a first contact in the 12 months: no employment rate.");
        else
        {
            var met = rate >= t.EmploymentRatePct;
            var low = met && facts.EmploymentLower < t.EmploymentRatePct;
            jobs = new("job_outcomes", met ? CriterionState.Met : CriterionState.NotMet,
                $"Employment rate over the 12 months {P(rate)} (95% interval {P(facts.EmploymentLower)} to {P(facts.EmploymentUpper)}); the minimum is {P(t.EmploymentRatePct)}."
                + (low ? " The interval reaches below it: met with low confidence." : ""), met ? low : null);
        }

        var completeness = facts.MonthsAccepted == 0 && facts.EthnicityRecorded is null
            ? new Criterion("data_completeness", CriterionState.NoData, "No return accepted in the 12 months.")
            : new Criterion("data_completeness",
                facts.MonthsAccepted >= t.MonthsOfReturns && facts.EthnicityRecorded >= t.EthnicityRecordedPct ? CriterionState.Met
                    : CriterionState.NotMet,
                $"Returns accepted for {facts.MonthsAccepted} of the {t.MonthsOfReturns} months; ethnicity recorded for {P(facts.EthnicityRecorded)} of referrals (needs {P(t.EthnicityRecordedPct)}).");

        var equality = !facts.HasReferrals
            ? new Criterion("racial_equality_figures", CriterionState.NoData, "No referrals in the 12 months: there is nothing for the equality report to compare.")
            : !facts.PopulationLoaded
            ? new Criterion("racial_equality_figures", CriterionState.NoData, "No reference population is loaded for the provider's financial year: the equality report cannot compare access.")
            : new Criterion("racial_equality_figures", facts.OutcomeGroupsWithDenominator >= 2 ? CriterionState.Met : CriterionState.NotMet,
                $"The equality report compares outcomes across {facts.OutcomeGroupsWithDenominator} known ethnic group(s) with people to count (needs 2 or more).");

        return
        [
            fidelity, jobs,
            Items("integration", "Integration with mental health teams", "O1", "O2"),
            Items("employer_engagement", "Employer engagement", "V6", "V7"),
            completeness, equality,
        ];
    }

    public static bool Ready(IReadOnlyList<Criterion> criteria) => criteria.All(c => c.State == CriterionState.Met);

    /// <summary>The deadline is <see cref="QualityMarkThresholds.Years"/> from the start; a provider not ready is on track, due within the
    /// months, or overdue.</summary>
    public static (DateOnly Deadline, DeadlineState? State) Deadline(DateOnly start, DateOnly today, bool ready, QualityMarkThresholds t)
    {
        var deadline = start.AddYears(t.Years);
        if (ready) return (deadline, null);
        return (deadline,
            today > deadline ? DeadlineState.Overdue : today >= deadline.AddMonths(-t.DueWithinMonths) ? DeadlineState.DueWithin6Months
            : DeadlineState.OnTrack);
    }
}
