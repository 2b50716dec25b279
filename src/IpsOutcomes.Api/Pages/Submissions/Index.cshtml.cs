using IpsOutcomes.Infrastructure;
using IpsOutcomes.Submissions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IpsOutcomes.Pages.Submissions;

/// <summary>The submissions the person may see, newest first, scoped and disclosed as the API does.</summary>
public sealed class IndexModel(SubmissionStore store) : PageModel
{
    private const int PageSize = 25;

    public IReadOnlyList<SubmissionView> Items { get; private set; } = [];
    public int PageNumber { get; private set; } = 1;
    public bool HasMore { get; private set; }

    /// <summary>A page of the list. ("page" is Razor Pages' own route value, so the number is added to the page's address as a
    /// query.)</summary>
    public string PageLink(int page) => Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(Url.Page("/Submissions/Index")!, "page",
        page.ToString(System.Globalization.CultureInfo.InvariantCulture));
    public bool ShowsProvider { get; private set; }

    public async Task OnGetAsync(int? page, CancellationToken ct)
    {
        var caller = Caller.From(User)!;
        PageNumber = Math.Max(1, page ?? 1);
        ShowsProvider = caller.Role != Role.Provider;
        var provider = caller.Role == Role.Provider ? caller.OrganisationCode : null;
        var icb = caller.Role == Role.Icb ? caller.OrganisationCode : null;
        var items = await store.ListAsync(provider, icb, null, null, PageNumber, PageSize + 1, ct);
        HasMore = items.Count > PageSize;
        Items = items.Take(PageSize).Select(s => s.SeenBy(caller)).ToList();
    }
}
