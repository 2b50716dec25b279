using IpsOutcomes.Infrastructure;
using IpsOutcomes.Publications;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IpsOutcomes.Pages.Published;

/// <summary>
/// The publications (publications.md): each month's provisional and final publication with its cut-off, the sign-off of the
/// ICB (for an ICB's analysts) or of every ICB (nationally), how many figures the final one revised, and where to see and
/// download its figures.
/// </summary>
public sealed class IndexModel(PublishedPages publications) : PageModel
{
    public Caller Caller { get; private set; } = null!;
    public IReadOnlyList<PublishedMonth> Months { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Caller = Caller.From(User)!;
        if (Caller.Role is Role.Provider) return Forbid(PageSessions.Scheme);
        Months = await publications.MonthsAsync(Caller, ct);
        return Page();
    }

    public static string KindWords(PublicationRow row) => row.Kind switch
    {
        PublicationKinds.Provisional => "Provisional",
        PublicationKinds.Final => "Final",
        _ => $"Extra: {row.Name}",
    };

    /// <summary>The sign-off in words: the ICB's own, or how many ICBs.</summary>
    public string SignOffWords(PublishedEntry entry)
    {
        if (entry.Row.CutOff is null) return "Not cut yet";
        if (Caller.ReachesEverything)
            return $"{entry.SignOffs.Count(s => s.State == IcbSignOff.SignedOff)} of {entry.SignOffs.Count} ICBs signed off";
        var own = entry.SignOffs.FirstOrDefault();
        return own?.State switch
        {
            IcbSignOff.SignedOff => $"Signed off on {PlainEnglish.Date(DateOnly.FromDateTime(own.At!.Value.UtcDateTime))}: {own.Comment}",
            IcbSignOff.Withdrawn => $"Sign-off withdrawn on {PlainEnglish.Date(DateOnly.FromDateTime(own.At!.Value.UtcDateTime))}: {own.Comment}",
            _ => "Not signed off",
        };
    }
}
