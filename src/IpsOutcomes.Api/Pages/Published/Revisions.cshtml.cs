using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Publications;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IpsOutcomes.Pages.Published;

/// <summary>
/// What changed in a publication's figures and why: a final one against its month's provisional one, any other against current
/// figures. An ICB's analysts see the changes of their ICB, its services, its region and England; national analysts every one.
/// </summary>
public sealed class RevisionsModel(PublishedPages publications, Revisions revisions) : PageModel
{
    /// <summary>The most changes listed on the page; the CSV has them all.</summary>
    public const int Listed = 300;

    public RevisionsReport Report { get; private set; } = null!;
    public IReadOnlyList<FigureChange> Changes { get; private set; } = [];
    public int Hidden { get; private set; }

    /// <summary>The two publications in words: "provisional", "final", or an extra one's name.</summary>
    public string BeforeWords { get; private set; } = "";
    public string AfterWords { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string name, CancellationToken ct)
    {
        var caller = Caller.From(User)!;
        if (caller.Role is Role.Provider) return Forbid(PageSessions.Scheme);
        if ((await publications.FindAsync(name, ct))?.AsPublished is not { } publication) return NotFound();
        var before = await publications.RevisedFromAsync(publication, ct);
        Report = before is null ? await revisions.BetweenAsync(publication, null, caller, ct)
            : await revisions.BetweenAsync(before, publication, caller, ct);
        (BeforeWords, AfterWords) = (Words(before ?? publication), before is null ? "current" : Words(publication));
        var mine = Report.Changes.Where(c => caller.ReachesEverything || c.OrganisationLevel is "region" or "england"
            || (c.OrganisationLevel == "icb" && caller.CanReadIcb(c.OrganisationCode))
            || (c.OrganisationLevel == "provider" && Report.Reasons.Returns.Any(r => r.ProviderCode == c.OrganisationCode))).ToList();
        Changes = mine.Take(Listed).ToList();
        Hidden = mine.Count - Changes.Count;
        return Page();
    }

    private static string Words(Publication publication) => publication.Kind == PublicationKinds.Extra ? $"'{publication.Name}'"
        : publication.Kind;

    public static string Figure(PublishedFigure figure, string indicator)
    {
        if (figure.Suppressed) return "not shown (fewer than 5)";
        if (figure.Value is not { } value) return "none";
        var unit = IndicatorCatalogue.ById[indicator].Unit;
        // A percentage or a median says what it is of, so that a change in that shows.
        var of = unit != Unit.Count && figure.Denominator is { } denominator ? $" (of {PlainEnglish.Count(denominator)})" : "";
        return PlainEnglish.InUnit(value, unit) + of;
    }

    public static string IndicatorName(string id) => IndicatorCatalogue.ById.TryGetValue(id, out var d) ? d.Name : id;

    public static string PeriodWords(FigureChange change) => change.PeriodType switch
    {
        "month" => PlainEnglish.Month(change.Period),
        "rolling12" => $"12 months to {PlainEnglish.Month(change.Period[^7..])}",
        "fytd" => $"financial year {change.Period[..7]} to {PlainEnglish.Month(change.Period[^7..])}",
        "quarter" => $"quarter {change.Period[^1]} of {change.Period[..7]}",
        _ => change.Period,
    };
}
