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
public sealed class InviteModel(UserAdministration administration, OrganisationStore register) : PageModel
{
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? PersonName { get; set; }
    [BindProperty] public Role Role { get; set; } = Role.Provider;
    [BindProperty] public string? OrganisationCode { get; set; }
    [BindProperty] public bool Unsuppressed { get; set; }
    [BindProperty] public bool SignOff { get; set; }
    [BindProperty] public bool TeamLead { get; set; }

    public List<(string Field, string Message)> Errors { get; } = [];
    public Caller Inviter { get; private set; } = null!;
    public IReadOnlyList<Provider> Services { get; private set; } = [];
    public string? Invited { get; private set; }

    public string? ErrorFor(string field) => Errors.FirstOrDefault(e => e.Field == field).Message;

    public GrantFields Fields => new(Inviter, Services, new(Role, OrganisationCode, Unsuppressed, SignOff, TeamLead), Errors);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : Forbid();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return Forbid();
        var grant = GrantFields.Posted(Inviter, Role, OrganisationCode, Unsuppressed, SignOff, TeamLead);
        var invitation = new UserInvitation(Email ?? "", PersonName ?? "", grant.Role, grant.OrganisationCode, grant.Unsuppressed,
            grant.SignOff, grant.TeamLead);
        var outcome = await administration.InviteAsync(Inviter, invitation, HttpContext.Connection.RemoteIpAddress?.ToString(), ct);
        Errors.AddRange(GrantFields.ErrorsOf(outcome));
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        Invited = $"{outcome.User!.Name} ({outcome.User.Email})";
        (Email, PersonName, OrganisationCode, Unsuppressed, SignOff, TeamLead) = (null, null, null, false, false, false);
        ModelState.Clear();
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        Inviter = Caller.From(User)!;
        if (!UserAccess.ManagesUsers(Inviter)) return false;
        Services = await GrantFields.ServicesOfAsync(Inviter, register, ct);
        return true;
    }
}
