using IpsOutcomes.Indicators;

namespace IpsOutcomes.Fidelity;

/// <summary>
/// Fidelity beside outcomes (fidelity-and-quality-mark.md): each provider's latest external review beside its employment
/// rate over the 12 months to the review's month, as published to the caller; Spearman's correlation; the 43% shares.
/// </summary>
public static class FidelityBesideOutcomes
{
    /// <summary>The employment rate good fidelity is associated with (43% or more starting jobs): the shares are of providers reaching
    /// it.</summary>
    public const double AssociatedEmploymentRate = 43;

    /// <summary>For an ICB's providers (or England's, with null); null for an ICB that does not exist.</summary>
    public static async Task<FidelityOutcomes?> BuildAsync(string? scope, bool exact, IndicatorService indicators, FidelityStore store,
        CancellationToken ct)
    {
        var providers = await indicators.OrganisationsAsync(OrganisationLevel.Provider, null, scope, ct);
        if (providers is null) return null;

        // Each provider's latest external review, and its employment rate over the 12 months to that review's month, as published to this
        // key.
        var latest = (await store.ReviewsAsync(null, ct)).Where(r => r.Kind == "external" && providers.Any(p => p.Code == r.ProviderCode))
            .GroupBy(r => r.ProviderCode).Select(g => g.MaxBy(r => r.ReviewDate)!).ToList();
        var points = new List<FidelityPoint>();
        foreach (var month in latest.GroupBy(r => Period.MonthIndex(r.ReviewDate)))
        {
            var query = new IndicatorQuery(OrganisationLevel.Provider, null, scope, PeriodType.Rolling12, month.Key, month.Key,
                ["employment_rate"], Breakdown.None, exact);
            var rows = (await indicators.ComputeAsync(query, providers, ct)).Rows.ToDictionary(r => r.OrganisationCode);
            // A provider with no referrals has no row: its review is shown, without a rate.
            points.AddRange(month.Select(r
                => new FidelityPoint(r.ProviderCode, providers.First(p => p.Code == r.ProviderCode).Name, r.ReviewDate, r.Total, r.Band,
                    rows.GetValueOrDefault(r.ProviderCode)?.Value, rows.GetValueOrDefault(r.ProviderCode)?.Suppressed ?? false)));
        }
        points = points.OrderBy(p => p.ProviderCode, StringComparer.Ordinal).ToList();
        var rated = points.Where(p => p.EmploymentRate is not null).ToList();
        ShareAtLeast Share(IEnumerable<FidelityPoint> set)
        {
            var list = set.ToList();
            var reaching = list.Count(p => p.EmploymentRate >= AssociatedEmploymentRate);
            return new(list.Count, reaching, list.Count == 0 ? null : Math.Round(100.0 * reaching / list.Count, 1));
        }
        return new FidelityOutcomes(scope ?? "england", points,
            Correlation.Spearman(rated.Select(p => ((double)p.Total, p.EmploymentRate!.Value)).ToList()),
            Share(rated.Where(p => p.Band >= FidelityBand.Good)), Share(rated.Where(p => p.Band < FidelityBand.Good)),
                await indicators.DataVersionAsync(ct));
    }
}
