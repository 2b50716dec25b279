using IpsOutcomes.Identity;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Organisations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IpsOutcomes.Pages.Users;

/// <summary>
/// A page that asks what a person may see and do (<c>_GrantFields</c>): the fields as posted, the person managing users
/// (<see cref="Actor"/>), the services they may offer, and the form's errors. The invite and change pages share it.
/// </summary>
public abstract class GrantForm(OrganisationStore register) : PageModel
{
    [BindProperty] public Role Role { get; set; } = Role.Provider;
    [BindProperty] public string? OrganisationCode { get; set; }
    [BindProperty] public bool Unsuppressed { get; set; }
    [BindProperty] public bool SignOff { get; set; }
    [BindProperty] public bool TeamLead { get; set; }

    public List<(string Field, string Message)> Errors { get; } = [];
    public IReadOnlyList<Provider> Services { get; private set; } = [];
    public Caller Actor => actor ??= Caller.From(User)!;
    private Caller? actor;

    protected OrganisationStore Register => register;

    public string? ErrorFor(string field) => Errors.FirstOrDefault(e => e.Field == field).Message;

    public GrantFields Fields => new(Actor, Services, new(Role, OrganisationCode, Unsuppressed, SignOff, TeamLead), Errors);

    /// <summary>What the form asked for, cut to what the actor may offer (the rules still decide).</summary>
    protected Grant Posted => GrantFields.Posted(Actor, Role, OrganisationCode, Unsuppressed, SignOff, TeamLead);

    protected void Show(Grant grant) => (Role, OrganisationCode, Unsuppressed, SignOff, TeamLead) = grant;

    /// <summary>False for someone who manages no users; otherwise loads the services they may offer.</summary>
    protected async Task<bool> ManagesUsersAsync(CancellationToken ct)
    {
        if (!UserAccess.ManagesUsers(Actor)) return false;
        Services = await GrantFields.ServicesOfAsync(Actor, register, ct);
        return true;
    }

    /// <summary>The page again with what a change or an invitation was refused for.</summary>
    protected PageResult Refused(UserOutcome outcome)
    {
        Errors.AddRange(GrantFields.ErrorsOf(outcome));
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
