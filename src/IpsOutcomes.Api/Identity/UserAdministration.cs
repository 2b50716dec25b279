using System.Net.Mail;
using IpsOutcomes.Audit;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Organisations;

namespace IpsOutcomes.Identity;

/// <summary>An invitation: the e-mail the person will sign in with, their name, and what they may see.</summary>
public sealed record UserInvitation(string Email, string Name, Role Role, string? OrganisationCode = null, bool Unsuppressed = false,
    bool SignOff = false, bool TeamLead = false)
{
    public Grant Grant =>
        new(Role, string.IsNullOrWhiteSpace(OrganisationCode) ? null : OrganisationCode.Trim(), Unsuppressed, SignOff, TeamLead);
}

/// <summary>What a change to a user asked for: a new role and scope, or a new status (active or suspended), or both.</summary>
public sealed record UserChange(Role? Role = null, string? OrganisationCode = null, bool? Unsuppressed = null, bool? SignOff = null,
    bool? TeamLead = null, UserStatus? Status = null);

/// <summary>How a change went: done (the user as now), invalid (errors by field), not allowed (why), or no such user.</summary>
public sealed record UserOutcome(User? User, Dictionary<string, string[]>? Errors = null, string? Forbidden = null, bool NotFound = false);

/// <summary>Inviting, changing, suspending and removing users: checked against <see cref="UserAccess"/>, each audited with who did it.</summary>
public sealed class UserAdministration(Database database, UserStore users, OrganisationStore register, AuditLog audit)
{
    /// <summary>The users <paramref name="viewer"/> may see.</summary>
    public async Task<IReadOnlyList<User>> VisibleAsync(Caller viewer, CancellationToken ct)
    {
        var visible = new List<User>();
        foreach (var user in await users.ListAsync(ct))
            if (UserAccess.Sees(viewer, user.Grant, await IcbOfAsync(user.Grant, ct))) visible.Add(user);
        return visible;
    }

    public async Task<User?> VisibleAsync(Caller viewer, long id, CancellationToken ct) =>
        await users.GetAsync(id, ct) is { } user && UserAccess.Sees(viewer, user.Grant, await IcbOfAsync(user.Grant, ct)) ? user : null;

    public async Task<UserOutcome> InviteAsync(Caller actor, UserInvitation invitation, string? address, CancellationToken ct)
    {
        var errors = await ValidateAsync(invitation.Grant, ct);
        var email = invitation.Email?.Trim() ?? "";
        if (!MailAddress.TryCreate(email, out var parsed) || parsed.Address != email || email.Length > 320)
            errors["email"] = ["Enter the e-mail address the person signs in with, like name@nhs.net."];
        if (string.IsNullOrWhiteSpace(invitation.Name) || invitation.Name.Trim().Length > 200)
            errors["name"] = ["Enter the person's name, up to 200 characters."];
        if (errors.Count > 0) return new(null, errors);
        if (UserAccess.Refusal(actor, invitation.Grant, await IcbOfAsync(invitation.Grant, ct)) is { } refusal)
            return new(null, Forbidden: refusal);
        if (await users.FindByEmailAsync(email, ct) is not null)
            return new(null, new() { ["email"] = ["Someone with this e-mail address already has a user."] });
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        using var changing = users.Change();
        var id = await users.AddAsync(connection, transaction, email, invitation.Name.Trim(), invitation.Grant, actor.Name);
        await audit.WriteAsync(connection, transaction, actor, "user.invited", $"user/{id}",
            $"{UserStore.Normalise(email)} as {Describe(invitation.Grant)}", address);
        await transaction.CommitAsync(ct);
        return new(await users.GetAsync(id, ct));
    }

    public async Task<UserOutcome> ChangeAsync(Caller actor, long id, UserChange change, string? address, CancellationToken ct)
    {
        if (await VisibleAsync(actor, id, ct) is not { } user) return new(null, NotFound: true);
        var was = user.Grant;
        var grant = new Grant(change.Role ?? was.Role,
            change.Role is null && change.OrganisationCode is null ? was.OrganisationCode : NullIfBlank(change.OrganisationCode),
            change.Unsuppressed ?? was.Unsuppressed, change.SignOff ?? was.SignOff, change.TeamLead ?? was.TeamLead);
        var errors = await ValidateAsync(grant, ct);
        if (change.Status is UserStatus.Invited) errors["status"] = ["A user is made active by signing in; set active or suspended."];
        if (errors.Count > 0) return new(null, errors);
        var refusal = await RefusalAsync(actor, was, ct) ?? await RefusalAsync(actor, grant, ct);
        if (refusal is not null) return new(null, Forbidden: refusal);
        if (user.Id == actor.UserId) return new(null, Forbidden: "You cannot change your own role or suspend yourself; ask another admin.");
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        using var changing = users.Change();
        if (grant != was)
        {
            await users.ChangeGrantAsync(connection, transaction, id, grant);
            await audit.WriteAsync(connection, transaction, actor, "user.role_changed", $"user/{id}",
                $"{user.Email}: {Describe(was)} to {Describe(grant)}", address);
        }
        // Suspending ends the person's sessions at once: every page request reads the user (PageSessions).
        if (change.Status is { } status && status != user.Status && !(status == UserStatus.Active && user.Status == UserStatus.Invited))
        {
            await users.SetStatusAsync(connection, transaction, id, status);
            await audit.WriteAsync(connection, transaction, actor, status == UserStatus.Suspended ? "user.suspended" : "user.reinstated",
                $"user/{id}", user.Email, address);
        }
        await transaction.CommitAsync(ct);
        return new(await users.GetAsync(id, ct));
    }

    public async Task<UserOutcome> RemoveAsync(Caller actor, long id, string? address, CancellationToken ct)
    {
        if (await VisibleAsync(actor, id, ct) is not { } user) return new(null, NotFound: true);
        if (await RefusalAsync(actor, user.Grant, ct) is { } refusal) return new(null, Forbidden: refusal);
        if (user.Id == actor.UserId) return new(null, Forbidden: "You cannot remove yourself; ask another admin.");
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        using var changing = users.Change();
        await users.RemoveAsync(connection, transaction, id);
        await audit.WriteAsync(connection, transaction, actor, "user.removed", $"user/{id}", $"{user.Email} ({Describe(user.Grant)})", address);
        await transaction.CommitAsync(ct);
        return new(user);
    }

    /// <summary>The role in words for the audit log and the pages: "icb QWO, unsuppressed".</summary>
    public static string Describe(Grant grant) => string.Join(", ", new[]
    {
        grant.OrganisationCode is null ? grant.Role.ToString().ToLowerInvariant() : $"{grant.Role.ToString().ToLowerInvariant()} {grant.OrganisationCode}",
        grant.Unsuppressed ? "unsuppressed" : null, grant.SignOff ? "sign_off" : null, grant.TeamLead ? "team_lead" : null,
    }.OfType<string>());

    private async Task<string?> RefusalAsync(Caller actor, Grant grant, CancellationToken ct) =>
        UserAccess.Refusal(actor, grant, await IcbOfAsync(grant, ct));

    private async Task<string?> IcbOfAsync(Grant grant, CancellationToken ct) =>
        grant is { Role: Role.Provider, OrganisationCode: { } code } ? (await register.ProviderAsync(code, ct))?.IcbCode : null;

    /// <summary>The same rules as a key's: a scope that exists and permissions the role may hold.</summary>
    private async Task<Dictionary<string, string[]>> ValidateAsync(Grant grant, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Enum.IsDefined(grant.Role)) errors["role"] = ["Role must be provider, icb, national or admin."];
        else if (grant.Role is Role.Provider or Role.Icb)
        {
            var exists = grant.OrganisationCode is { } code && (grant.Role == Role.Provider
                ? await register.ProviderAsync(code, ct) is not null
                : await register.IcbAsync(code, ct) is not null);
            if (!exists)
                errors["organisation_code"] = [$"Enter the code of a registered {(grant.Role == Role.Provider ? "IPS service (provider)" : "ICB")}."];
        }
        else if (grant.OrganisationCode is not null)
            errors["organisation_code"] = ["National and admin users reach every organisation and take no organisation code."];
        if (grant.Unsuppressed && grant.Role == Role.Provider)
            errors["unsuppressed"] = ["Exact (unsuppressed) figures are for ICB, national and admin users only."];
        if (grant.SignOff && grant.Role != Role.Icb) errors["sign_off"] = ["Signing off publications is for ICB users."];
        if (grant.TeamLead && grant.Role != Role.Provider) errors["team_lead"] = ["A team lead is a provider's user."];
        return errors;
    }

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
