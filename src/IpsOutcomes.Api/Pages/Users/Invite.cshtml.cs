using IpsOutcomes.Identity;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Organisations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IpsOutcomes.Pages.Users;

/// <summary>
/// Inviting a person, offering only what the inviter may give: an admin any role; an ICB a place in one of its IPS services;
/// a team lead a place in their own team. The rules themselves are <see cref="UserAccess"/>'s, as through the API.
/// </summary>
public sealed class InviteModel(UserAdministration administration, OrganisationStore register) : GrantForm(register)
{
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? PersonName { get; set; }
    public string? Invited { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await ManagesUsersAsync(ct) ? Page() : Forbid();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await ManagesUsersAsync(ct)) return Forbid();
        var grant = Posted;
        var invitation = new UserInvitation(Email ?? "", PersonName ?? "", grant.Role, grant.OrganisationCode, grant.Unsuppressed,
            grant.SignOff, grant.TeamLead);
        var outcome = await administration.InviteAsync(Actor, invitation, HttpContext.Connection.RemoteIpAddress?.ToString(), ct);
        if (outcome.User is null) return Refused(outcome);
        Invited = $"{outcome.User.Name} ({outcome.User.Email})";
        (Email, PersonName) = (null, null);
        Show(new Grant(Role, null));
        ModelState.Clear();
        return Page();
    }
}
