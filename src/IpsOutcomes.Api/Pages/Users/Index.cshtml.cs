using IpsOutcomes.Identity;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Keys;
using IpsOutcomes.Organisations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IpsOutcomes.Pages.Users;

/// <summary>Who can see what: the users the person manages (an admin also sees every key), as the API lists them.</summary>
public sealed class IndexModel(UserAdministration administration, ApiKeyStore keys, OrganisationStore register) : PageModel
{
    public IReadOnlyList<User> Users { get; private set; } = [];
    public IReadOnlyDictionary<string, string> Names { get; private set; } = new Dictionary<string, string>();
    public IReadOnlyList<ApiKey> Keys { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var caller = Caller.From(User)!;
        if (!UserAccess.ManagesUsers(caller)) return Forbid();
        Users = await administration.VisibleAsync(caller, ct);
        Names = await UserWords.NamesAsync(register, ct);
        if (caller.Role == Role.Admin) Keys = await keys.ListAsync(ct);
        return Page();
    }
}
