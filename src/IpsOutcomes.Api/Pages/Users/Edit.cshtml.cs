using IpsOutcomes.Identity;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Organisations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IpsOutcomes.Pages.Users;

/// <summary>
/// One user: change what they can see, suspend or reinstate them, or remove them; each through the same rules as the API.
/// </summary>
public sealed class EditModel(UserAdministration administration, OrganisationStore register) : PageModel
{
    [BindProperty] public Role Role { get; set; }
    [BindProperty] public string? OrganisationCode { get; set; }
    [BindProperty] public bool Unsuppressed { get; set; }
    [BindProperty] public bool SignOff { get; set; }
    [BindProperty] public bool TeamLead { get; set; }

    public User Person { get; private set; } = null!;
    public Caller Actor { get; private set; } = null!;
    public List<(string Field, string Message)> Errors { get; } = [];
    public IReadOnlyDictionary<string, string> Names { get; private set; } = new Dictionary<string, string>();
    public string? Done { get; private set; }
    private IReadOnlyList<Provider> services = [];

    public GrantFields Fields => new(Actor, services, new(Role, OrganisationCode, Unsuppressed, SignOff, TeamLead), Errors);

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused) return refused;
        (Role, OrganisationCode, Unsuppressed, SignOff, TeamLead) = Person.Grant;
        return Page();
    }

    public Task<IActionResult> OnPostChangeAsync(long id, CancellationToken ct) => ChangeAsync(id,
        new UserChange(Role, OrganisationCode ?? "", Unsuppressed, SignOff, TeamLead), "What they can see has been changed.", ct);

    public Task<IActionResult> OnPostSuspendAsync(long id, CancellationToken ct) =>
        ChangeAsync(id, new UserChange(Status: UserStatus.Suspended), "They have been suspended and signed out.", ct);

    public Task<IActionResult> OnPostReinstateAsync(long id, CancellationToken ct) =>
        ChangeAsync(id, new UserChange(Status: UserStatus.Active), "They have been reinstated and can sign in again.", ct);

    public async Task<IActionResult> OnPostRemoveAsync(long id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused) return refused;
        var outcome = await administration.RemoveAsync(Actor, id, HttpContext.Connection.RemoteIpAddress?.ToString(), ct);
        if (outcome.Forbidden is null) return RedirectToPage("/Users/Index");
        return Refused(outcome);
    }

    private async Task<IActionResult> ChangeAsync(long id, UserChange change, string done, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused) return refused;
        if (change.Role is not null)
        {
            var grant = GrantFields.Posted(Actor, Role, OrganisationCode, Unsuppressed, SignOff, TeamLead);
            change = new UserChange(grant.Role, grant.OrganisationCode ?? "", grant.Unsuppressed, grant.SignOff, grant.TeamLead);
        }
        var outcome = await administration.ChangeAsync(Actor, id, change, HttpContext.Connection.RemoteIpAddress?.ToString(), ct);
        if (outcome.User is null) return Refused(outcome);
        Person = outcome.User;
        (Role, OrganisationCode, Unsuppressed, SignOff, TeamLead) = Person.Grant;
        ModelState.Clear();
        Done = done;
        return Page();
    }

    private PageResult Refused(UserOutcome outcome)
    {
        Errors.AddRange(GrantFields.ErrorsOf(outcome));
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(long id, CancellationToken ct)
    {
        Actor = Caller.From(User)!;
        if (!UserAccess.ManagesUsers(Actor)) return Forbid();
        if (await administration.VisibleAsync(Actor, id, ct) is not { } person) return NotFound();
        Person = person;
        Names = await UserWords.NamesAsync(register, ct);
        services = await GrantFields.ServicesOfAsync(Actor, register, ct);
        return null;
    }
}
