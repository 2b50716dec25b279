namespace IpsOutcomes.Fidelity;

/// <summary>The bands of a review's total (fidelity-and-quality-mark.md, from the scale's review manual).</summary>
public enum FidelityBand { NotIps, Fair, Good, Exemplary }

public sealed record FidelityItem(string Code, string Section, string Name);

/// <summary>The IPS Supported Employment Fidelity Scale (UK version): 25 items, each scored 1 to 5, totals 25 to 125.</summary>
public static class FidelityScale
{
    public static readonly IReadOnlyList<FidelityItem> Items =
    [
        new("S1", "staffing", "caseload size"),
        new("S2", "staffing", "employment services staff"),
        new("S3", "staffing", "vocational generalists"),
        new("O1", "organisation", "integration of employment support with mental health treatment through team assignment"),
        new("O2", "organisation", "integration of employment support with mental health treatment through frequent team member contact"),
        new("O3", "organisation", "collaboration between employment specialists and other employment/benefits agencies"),
        new("O4", "organisation", "vocational unit"),
        new("O5", "organisation", "role of employment supervisor"),
        new("O6", "organisation", "zero exclusion criteria"),
        new("O7", "organisation", "agency focus on competitive employment"),
        new("O8", "organisation", "executive team support for IPS"),
        new("V1", "services", "work incentives (benefits) planning"),
        new("V2", "services", "disclosure"),
        new("V3", "services", "ongoing, work-based vocational assessment"),
        new("V4", "services", "rapid search for competitive job"),
        new("V5", "services", "individualised job search"),
        new("V6", "services", "job development: frequent employer contact"),
        new("V7", "services", "job development: quality of employer contact"),
        new("V8", "services", "diversity of job types"),
        new("V9", "services", "diversity of employers"),
        new("V10", "services", "competitive jobs"),
        new("V11", "services", "individualised follow-along supports"),
        new("V12", "services", "time-unlimited follow-along supports"),
        new("V13", "services", "community-based services"),
        new("V14", "services", "assertive engagement and outreach by integrated treatment team"),
    ];

    public static readonly IReadOnlySet<string> Codes = Items.Select(i => i.Code).ToHashSet(StringComparer.Ordinal);

    /// <summary>Where each band starts: 115-125 exemplary, 100-114 good, 74-99 fair, 25-73 not IPS (not supported employment).</summary>
    public const int FairFrom = 74, GoodFrom = 100, ExemplaryFrom = 115;

    public static FidelityBand BandOf(int total) => total switch
    {
        >= ExemplaryFrom => FidelityBand.Exemplary,
        >= GoodFrom => FidelityBand.Good,
        >= FairFrom => FidelityBand.Fair,
        _ => FidelityBand.NotIps,
    };
}
