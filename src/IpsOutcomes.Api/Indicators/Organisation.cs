namespace IpsOutcomes.Indicators;

public enum OrganisationLevel { Provider, Icb, Region, England }

/// <summary>An organisation at some level, and the providers whose referrals add up to it.</summary>
public sealed record Organisation(OrganisationLevel Level, string Code, string Name, string? IcbCode, IReadOnlyList<string> Providers)
{
    /// <summary>Every provider whose referrals add up to any of <paramref name="organisations"/>.</summary>
    public static IReadOnlyCollection<string> ProvidersOf(IEnumerable<Organisation> organisations) =>
        organisations.SelectMany(o => o.Providers).ToHashSet();
}
