using IpsOutcomes.Identity;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Organisations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IpsOutcomes.Pages.Users;

/// <summary>
/// One user: change what they can see, suspend or reinstate them, or remove them; each through the same rules as the API.
/// </summary>
public sealed class EditModel(UserAdministration administration, OrganisationStore register) : GrantForm(register)
{
    public User Person { get; private set; } = null!;
    public IReadOnlyDictionary<string, string> Names { get; private set; } = new Dictionary<string, string>();
    public string? Done { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused) return refused;
        Show(Person.Grant);
        return Page();
    }

    public Task<IActionResult> OnPostChangeAsync(long id, CancellationToken ct)
    {
        var grant = Posted;
        return ChangeAsync(id, new UserChange(grant.Role, grant.OrganisationCode ?? "", grant.Unsuppressed, grant.SignOff, grant.TeamLead),
            "What they can see has been changed.", ct);
    }

    public Task<IActionResult> OnPostSuspendAsync(long id, CancellationToken ct) =>
        ChangeAsync(id, new UserChange(Status: UserStatus.Suspended), "They have been suspended and signed out.", ct);

    public Task<IActionResult> OnPostReinstateAsync(long id, CancellationToken ct) =>
        ChangeAsync(id, new UserChange(Status: UserStatus.Active), "They have been reinstated and can sign in again.", ct);

    public async Task<IActionResult> OnPostRemoveAsync(long id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused) return refused;
        var outcome = await administration.RemoveAsync(Actor, id, HttpContext.Connection.RemoteIpAddress?.ToString(), ct);
        return outcome.Forbidden is null ? RedirectToPage("/Users/Index") : Refused(outcome);
    }

    private async Task<IActionResult> ChangeAsync(long id, UserChange change, string done, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused) return refused;
        var outcome = await administration.ChangeAsync(Actor, id, change, HttpContext.Connection.RemoteIpAddress?.ToString(), ct);
        if (outcome.User is null) return Refused(outcome);
        Person = outcome.User;
        Show(Person.Grant);
        ModelState.Clear();
        Done = done;
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(long id, CancellationToken ct)
    {
        if (!await ManagesUsersAsync(ct)) return Forbid();
        if (await administration.VisibleAsync(Actor, id, ct) is not { } person) return NotFound();
        Person = person;
        Names = await UserWords.NamesAsync(Register, ct);
        return null;
    }
}
