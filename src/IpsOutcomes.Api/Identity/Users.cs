using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Identity;

public enum UserStatus { Invited, Active, Suspended }

/// <summary>What a person may see and do: as a key's, plus <see cref="TeamLead"/> (a provider's lead invites their own team).</summary>
public sealed record Grant(Role Role, string? OrganisationCode, bool Unsuppressed = false, bool SignOff = false, bool TeamLead = false);

/// <summary>A person: invited by e-mail (or given a role by their groups), bound to their identity at their first sign-in.</summary>
public sealed record User(long Id, string Email, string Name, Grant Grant, UserStatus Status, string Source, string? IdentityProvider,
    DateTimeOffset InvitedAt, string? InvitedBy, DateTimeOffset? BoundAt, DateTimeOffset? LastSeenAt)
{
    public const string FromInvitation = "invitation", FromGroups = "groups";

    /// <summary>Who the person is to the rest of the service: a caller without a key.</summary>
    public Caller AsCaller() => new(null, Name, Grant.Role, Grant.OrganisationCode, Grant.Unsuppressed, Grant.SignOff)
    {
        UserId = Id,
        LeadsTeam = Grant.TeamLead,
    };
}
