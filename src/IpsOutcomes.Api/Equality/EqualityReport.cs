using IpsOutcomes.Indicators;

namespace IpsOutcomes.Equality;

public sealed record AccessGroup(string Group, long? Accessed, double? AccessedSharePct, long? Population, double? PopulationSharePct,
    double? RepresentationRatio, double? LowerCi, double? UpperCi, string? Flag, bool Suppressed);

public sealed record AccessEquity(IReadOnlyList<AccessGroup> Groups, double? ChiSquare, int? DegreesOfFreedom, double? PValue,
    bool? Significant, bool TestSuppressed, string? Note);

public sealed record OutcomeGroup(string Group, long? Numerator, long? Denominator, double? Rate, double? LowerCi, double? UpperCi,
    double? RateRatio, double? RateRatioLowerCi, double? RateRatioUpperCi, bool Suppressed);

public sealed record OutcomeEquity(string IndicatorId, string ReferenceGroup, IReadOnlyList<OutcomeGroup> Groups, double? ChiSquare,
    int? DegreesOfFreedom, double? PValue, bool? Significant, bool TestSuppressed, string? Warning);

public sealed record EthnicityUnknown(long? NotStated, long? NotKnown, double? SharePct, bool Suppressed, string? Warning);

public sealed record EqualityPeriod(string Period, DateOnly PeriodStart, DateOnly PeriodEnd, string FinancialYear, EthnicityUnknown Unknown,
    AccessEquity Access, OutcomeEquity Outcome);

/// <summary>
/// One group's counts in one period, as published (exact, rounded, or null where suppressed): referrals accessing,
/// the reference population, and the outcome's numerator and denominator.
/// </summary>
public sealed record GroupFigures(string Group, bool Known, long? Accessed, long? Population, long? Numerator, long? Denominator);

/// <summary>
/// The equality report's arithmetic (equality-and-disclosure.md), pure. Shares and tests use known ethnicity only;
/// not stated and not known are reported beside. Every figure is worked out from the counts as published, so it says
/// nothing the counts do not, and a figure (share, ratio, test, warning) resting on a suppressed count is suppressed.
/// </summary>
public static class EqualityReport
{
    public const double UnknownShareWarning = 10;

    /// <param name="groups">Every group of the breakdown, known and unknown.</param>
    /// <param name="knownAccessed">Referrals accessing with a known ethnicity, as published.</param>
    /// <param name="allAccessed">All referrals accessing, as published.</param>
    /// <param name="totalPopulation">The reference population of the known groups, as published.</param>
    public static (EthnicityUnknown Unknown, AccessEquity Access, OutcomeEquity Outcome) Build(IReadOnlyList<GroupFigures> groups,
        long? knownAccessed, long? allAccessed, long? totalPopulation, string indicatorId, string referenceGroup, bool exact)
    {
        var known = groups.Where(g => g.Known).ToList();
        double? Percent(long? part, long? whole) =>
            part is { } p && whole is > 0 ? Math.Round(100.0 * p / whole.Value, exact ? 2 : 0, MidpointRounding.AwayFromZero) : null;
        double? Round(double? value) => value is { } v ? Math.Round(v, exact ? 3 : 2, MidpointRounding.AwayFromZero) : null;

        // Ethnicity not stated or not known, beside everything else; a warning only from what is published.
        var notStated = groups.FirstOrDefault(g => !g.Known && g.Group is "not_stated" or "Z")?.Accessed;
        var notKnown = groups.FirstOrDefault(g => !g.Known && g.Group is "not_known" or "99")?.Accessed;
        var unknownShare = Percent(notStated + notKnown, allAccessed);
        var shownShare = Percent((notStated ?? 0) + (notKnown ?? 0), allAccessed);
        var unknown = new EthnicityUnknown(notStated, notKnown, unknownShare, unknownShare is null,
            unknownShare > UnknownShareWarning
                ? $"Ethnicity is not stated or not known for {unknownShare:0}% of referrals accessing IPS: enough to bias these comparisons."
                : unknownShare is null && shownShare > UnknownShareWarning
                    ? "Ethnicity is not stated or not known for more than 10% of referrals accessing IPS: enough to bias these comparisons."
                    : null);

        // Access: each group's share of those accessing against its share of the population.
        var hasPopulation = known.Any(g => g.Population is > 0);
        var accessGroups = known.Select(g =>
        {
            var suppressed = g.Accessed is null || knownAccessed is null || (hasPopulation && g.Population is null);
            var ratio = hasPopulation && !suppressed && totalPopulation is { } population
                ? Statistics.RepresentationRatio(g.Accessed!.Value, knownAccessed!.Value, g.Population ?? 0, population) : null;
            var flag = ratio?.Interval is not { } interval ? null
                : interval.Upper < 1 ? "under_represented" : interval.Lower > 1 ? "over_represented" : "not_significant";
            return new AccessGroup(g.Group, g.Accessed, Percent(g.Accessed, knownAccessed), g.Population,
                hasPopulation ? Percent(g.Population, totalPopulation) : null,
                Round(ratio?.Value), Round(ratio?.Interval?.Lower), Round(ratio?.Interval?.Upper), flag, suppressed);
        }).ToList();
        var accessTestSuppressed = accessGroups.Any(g => g.Suppressed) || (hasPopulation && totalPopulation is null);
        var accessTest = hasPopulation && !accessTestSuppressed
            ? Statistics.ChiSquare(known.Select(g => g.Accessed!.Value).ToList(), known.Select(g => g.Population ?? 0).ToList()) : null;
        var access = new AccessEquity(accessGroups, Round(accessTest?.Statistic), accessTest?.DegreesOfFreedom, Round(accessTest?.PValue),
            accessTest?.Significant, accessTestSuppressed,
            hasPopulation ? null : "No reference population is loaded for this organisation and financial year: shares of the population and ratios need one.");

        // Outcomes: each group's rate, its ratio to the reference group, and whether rates differ across groups.
        var reference = known.FirstOrDefault(g => g.Group == referenceGroup);
        var outcomeGroups = known.Select(g =>
        {
            var suppressed = g.Numerator is null || g.Denominator is null;
            var interval = suppressed ? null : Statistics.Wilson(g.Numerator!.Value, g.Denominator!.Value);
            var ratio = suppressed || reference is not { Numerator: { } rn, Denominator: { } rd } ? null
                : Statistics.RateRatio(g.Numerator!.Value, g.Denominator!.Value, rn, rd);
            return new OutcomeGroup(g.Group, g.Numerator, g.Denominator, suppressed ? null : Percent(g.Numerator, g.Denominator),
                Round(interval?.Lower * 100), Round(interval?.Upper * 100), Round(ratio?.Value), Round(ratio?.Interval?.Lower),
                    Round(ratio?.Interval?.Upper),
                suppressed);
        }).ToList();
        var outcomeTestSuppressed = outcomeGroups.Any(g => g.Suppressed);
        var outcomeTest = outcomeTestSuppressed ? null
            : Statistics.ChiSquare(known.Select(g => g.Numerator!.Value).ToList(),
                known.Select(g => g.Denominator!.Value - g.Numerator!.Value).ToList());
        var outcome = new OutcomeEquity(indicatorId, referenceGroup, outcomeGroups, Round(outcomeTest?.Statistic),
            outcomeTest?.DegreesOfFreedom, Round(outcomeTest?.PValue), outcomeTest?.Significant, outcomeTestSuppressed,
            outcomeTest is { Unreliable: true } ? "An expected count is under 5, so the chi-square approximation is unreliable (Cochran's rule)." : null);
        return (unknown, access, outcome);
    }
}
