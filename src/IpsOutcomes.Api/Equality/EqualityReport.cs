using IpsOutcomes.Indicators;

namespace IpsOutcomes.Equality;

public sealed record AccessGroup(string Group, long? Accessed, double? AccessedSharePct, long? Population, double? PopulationSharePct,
    double? RepresentationRatio, double? LowerCi, double? UpperCi, string? Flag, bool Suppressed);

public sealed record AccessEquity(IReadOnlyList<AccessGroup> Groups, double? ChiSquare, int? DegreesOfFreedom, double? PValue, bool? Significant,
    bool TestSuppressed, string? Note);

public sealed record OutcomeGroup(string Group, long? Numerator, long? Denominator, double? Rate, double? LowerCi, double? UpperCi,
    double? RateRatio, double? RateRatioLowerCi, double? RateRatioUpperCi, bool Suppressed);

public sealed record OutcomeEquity(string IndicatorId, string ReferenceGroup, IReadOnlyList<OutcomeGroup> Groups, double? ChiSquare,
    int? DegreesOfFreedom, double? PValue, bool? Significant, bool TestSuppressed, string? Warning);

public sealed record EthnicityUnknown(long? NotStated, long? NotKnown, double? SharePct, bool Suppressed, string? Warning);

public sealed record EqualityPeriod(string Period, DateOnly PeriodStart, DateOnly PeriodEnd, string FinancialYear, EthnicityUnknown Unknown,
    AccessEquity Access, OutcomeEquity Outcome);

/// <summary>One group's counts in one period: referrals accessing, the reference population, and the outcome's numerator and denominator.</summary>
public sealed record GroupFigures(string Group, bool Known, long Accessed, long? Population, long Numerator, long Denominator);

/// <summary>
/// The equality report's arithmetic (equality-and-disclosure.md), pure. Shares and tests use known ethnicity only;
/// not stated and not known are reported beside. Under disclosure control a derived figure (ratio, test) is
/// suppressed when any group that goes into it is.
/// </summary>
public static class EqualityReport
{
    public const double UnknownShareWarning = 10;

    public static (EthnicityUnknown Unknown, AccessEquity Access, OutcomeEquity Outcome) Build(
        IReadOnlyList<GroupFigures> groups, string indicatorId, string referenceGroup, bool exact)
    {
        var known = groups.Where(g => g.Known).ToList();
        bool Small(long? count) => !exact && (count ?? 0) < DisclosureControl.Threshold;
        long? Count(long? count) => count is null ? null : exact ? count : DisclosureControl.SafeCount(count.Value);
        double? Percent(long part, long whole, bool suppressed) =>
            suppressed || whole == 0 ? null : Math.Round(100.0 * part / whole, exact ? 2 : 0, MidpointRounding.AwayFromZero);
        double? Round(double? value) => value is { } v ? Math.Round(v, exact ? 3 : 2, MidpointRounding.AwayFromZero) : null;

        // Ethnicity not stated or not known, beside everything else.
        var notStated = groups.Where(g => !g.Known && g.Group is "not_stated" or "Z").Sum(g => g.Accessed);
        var notKnown = groups.Where(g => !g.Known && g.Group is "not_known" or "99").Sum(g => g.Accessed);
        var everyone = groups.Sum(g => g.Accessed);
        var unknownShare = everyone == 0 ? 0 : 100.0 * (notStated + notKnown) / everyone;
        var unknownSuppressed = Small(notStated + notKnown) || Small(everyone);
        var unknown = new EthnicityUnknown(Count(notStated), Count(notKnown), Percent(notStated + notKnown, everyone, unknownSuppressed), unknownSuppressed,
            unknownShare > UnknownShareWarning
                ? $"Ethnicity is not stated or not known for {unknownShare:0}% of referrals accessing IPS: enough to bias these comparisons."
                : null);

        // Access: each group's share of those accessing against its share of the population.
        var totalAccessed = known.Sum(g => g.Accessed);
        var hasPopulation = known.Any(g => g.Population is > 0);
        var totalPopulation = known.Sum(g => g.Population ?? 0);
        var accessGroups = known.Select(g =>
        {
            var suppressed = Small(g.Accessed) || (hasPopulation && Small(g.Population));
            var ratio = hasPopulation ? Statistics.RepresentationRatio(g.Accessed, totalAccessed, g.Population ?? 0, totalPopulation) : null;
            var flag = suppressed || ratio?.Interval is not { } interval ? null
                : interval.Upper < 1 ? "under_represented" : interval.Lower > 1 ? "over_represented" : "not_significant";
            return new AccessGroup(g.Group, Count(g.Accessed), Percent(g.Accessed, totalAccessed, Small(g.Accessed) || Small(totalAccessed)),
                Count(g.Population), hasPopulation ? Percent(g.Population ?? 0, totalPopulation, Small(g.Population)) : null,
                suppressed ? null : Round(ratio?.Value), suppressed ? null : Round(ratio?.Interval?.Lower), suppressed ? null : Round(ratio?.Interval?.Upper),
                flag, suppressed);
        }).ToList();
        var accessTest = hasPopulation ? Statistics.ChiSquare(known.Select(g => g.Accessed).ToList(), known.Select(g => g.Population ?? 0).ToList()) : null;
        var accessTestSuppressed = accessGroups.Any(g => g.Suppressed);
        var access = new AccessEquity(accessGroups,
            accessTestSuppressed ? null : Round(accessTest?.Statistic), accessTestSuppressed ? null : accessTest?.DegreesOfFreedom,
            accessTestSuppressed ? null : Round(accessTest?.PValue), accessTestSuppressed ? null : accessTest?.Significant, accessTestSuppressed,
            hasPopulation ? null : "No reference population is loaded for this organisation and financial year: shares of the population and ratios need one.");

        // Outcomes: each group's rate, its ratio to the reference group, and whether rates differ across groups.
        var reference = known.FirstOrDefault(g => g.Group == referenceGroup);
        var referenceSuppressed = reference is null || Small(reference.Numerator) || Small(reference.Denominator);
        var outcomeGroups = known.Select(g =>
        {
            var suppressed = Small(g.Numerator) || Small(g.Denominator);
            var interval = Statistics.Wilson(g.Numerator, g.Denominator);
            var ratio = reference is null ? null : Statistics.RateRatio(g.Numerator, g.Denominator, reference.Numerator, reference.Denominator);
            var ratioSuppressed = suppressed || referenceSuppressed;
            return new OutcomeGroup(g.Group, Count(g.Numerator), Count(g.Denominator), Percent(g.Numerator, g.Denominator, suppressed),
                suppressed ? null : Round(interval?.Lower * 100), suppressed ? null : Round(interval?.Upper * 100),
                ratioSuppressed ? null : Round(ratio?.Value), ratioSuppressed ? null : Round(ratio?.Interval?.Lower), ratioSuppressed ? null : Round(ratio?.Interval?.Upper),
                suppressed);
        }).ToList();
        var outcomeTest = Statistics.ChiSquare(known.Select(g => g.Numerator).ToList(), known.Select(g => g.Denominator - g.Numerator).ToList());
        var outcomeTestSuppressed = outcomeGroups.Any(g => g.Suppressed);
        var outcome = new OutcomeEquity(indicatorId, referenceGroup, outcomeGroups,
            outcomeTestSuppressed ? null : Round(outcomeTest?.Statistic), outcomeTestSuppressed ? null : outcomeTest?.DegreesOfFreedom,
            outcomeTestSuppressed ? null : Round(outcomeTest?.PValue), outcomeTestSuppressed ? null : outcomeTest?.Significant, outcomeTestSuppressed,
            !outcomeTestSuppressed && outcomeTest is { Unreliable: true }
                ? "An expected count is under 5, so the chi-square approximation is unreliable (Cochran's rule)."
                : null);
        return (unknown, access, outcome);
    }
}
