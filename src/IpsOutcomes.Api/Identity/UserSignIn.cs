using System.Security.Claims;
using IpsOutcomes.Audit;
using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Identity;

/// <summary>Why a person who proved who they are to an identity provider still may not in: each has its own words on the page.</summary>
public enum SignInRefusal { Uninvited, Unverified, Suspended, NoIdentity }

/// <summary>
/// What the service makes of a person an identity provider vouched for (its handler has checked the token: issuer, audience,
/// signature, expiry, nonce): their user, found by identity, or an invitation to their verified e-mail bound to them now, or a
/// role their groups give; otherwise a refusal. Every sign-in and refusal is audited with the person's name and e-mail.
/// </summary>
public sealed class UserSignIn(Database database, UserStore users, AuditLog audit)
{
    public async Task<(User? User, SignInRefusal? Refusal)> ResolveAsync(IdentityProviderSettings provider, ClaimsPrincipal person,
        string? address, CancellationToken ct)
    {
        var subject = person.FindFirstValue(provider.SubjectClaim);
        var email = person.FindFirstValue(provider.EmailClaim)?.Trim();
        var name = person.FindFirstValue(provider.NameClaim) ?? email ?? subject ?? "unknown";
        var verified = provider.EmailVerifiedClaim.Length == 0 || person.FindFirstValue(provider.EmailVerifiedClaim) == "true";
        var groupGrant = provider.Groups.Where(g => person.HasClaim(provider.GroupsClaim, g.Key))
            .Select(g => UserAccess.ParseGroupRole(g.Value)).FirstOrDefault(g => g is not null);
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        using var changing = users.Change();
        async Task<(User?, SignInRefusal?)> RefuseAsync(SignInRefusal refusal)
        {
            await audit.WriteAsync(connection, transaction, null, "session.sign_in_refused", $"identity/{provider.Name}",
                $"{refusal.ToString().ToLowerInvariant()}: {name} <{email}>", address);
            await transaction.CommitAsync(ct);
            return (null, refusal);
        }
        if (string.IsNullOrEmpty(subject)) return await RefuseAsync(SignInRefusal.NoIdentity);
        var user = await users.FindByIdentityAsync(provider.Name, subject, ct);
        var byEmail = user is null && email is not null ? await users.FindByEmailAsync(email, ct) : null;
        if (byEmail is { Status: UserStatus.Invited } invited)
        {
            // An invitation is bound only to a verified e-mail: otherwise anyone could claim it by typing the address.
            if (!verified) return await RefuseAsync(SignInRefusal.Unverified);
            if (await users.BindAsync(connection, transaction, invited.Id, provider.Name, subject))
            {
                user = invited with { Status = UserStatus.Active };
                await audit.WriteAsync(connection, transaction, user.AsCaller(), "user.bound", $"user/{user.Id}",
                    $"{user.Email} to {provider.Name}", address);
            }
        }
        if (user is null && byEmail is null && groupGrant is not null && email is not null)
        {
            var id = await users.AddAsync(connection, transaction, email, name, groupGrant, $"groups at {provider.Name}", (provider.Name, subject));
            user = new User(id, UserStore.Normalise(email), name, groupGrant, UserStatus.Active, User.FromGroups, provider.Name,
                default, null, null, null);
            await audit.WriteAsync(connection, transaction, user.AsCaller(), "user.added_by_groups", $"user/{id}",
                $"{user.Email} as {UserAdministration.Describe(groupGrant)}", address);
        }
        else if (user is { Source: User.FromGroups } && groupGrant != user.Grant)
        {
            // A user made by their groups follows their groups: a changed group is a changed role; no group, no access.
            if (groupGrant is null) return await RefuseAsync(SignInRefusal.Uninvited);
            await users.ChangeGrantAsync(connection, transaction, user.Id, groupGrant);
            await audit.WriteAsync(connection, transaction, user.AsCaller(), "user.role_changed", $"user/{user.Id}",
                $"{user.Email}: {UserAdministration.Describe(user.Grant)} to {UserAdministration.Describe(groupGrant)} by groups", address);
            user = user with { Grant = groupGrant };
        }
        if (user is null) return await RefuseAsync(SignInRefusal.Uninvited);
        if (user.Status == UserStatus.Suspended) return await RefuseAsync(SignInRefusal.Suspended);
        await audit.WriteAsync(connection, transaction, user.AsCaller(), "session.signed_in", $"user/{user.Id}", $"with {provider.Name}", address);
        await users.SeenAsync(connection, transaction, user.Id);
        await transaction.CommitAsync(ct);
        return (user, null);
    }
}
