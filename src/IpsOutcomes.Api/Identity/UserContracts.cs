using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Identity;

/// <summary>A user as the API and the Users page show them: who, what they may see, and where they are with it.</summary>
public sealed record UserView(long Id, string Email, string Name, Role Role, string? OrganisationCode, bool Unsuppressed, bool SignOff,
    bool TeamLead, UserStatus Status, string Source, string? IdentityProvider, DateTimeOffset InvitedAt, string? InvitedBy,
    DateTimeOffset? BoundAt, DateTimeOffset? LastSeenAt)
{
    public static UserView From(User user) => new(user.Id, user.Email, user.Name, user.Grant.Role, user.Grant.OrganisationCode,
        user.Grant.Unsuppressed, user.Grant.SignOff, user.Grant.TeamLead, user.Status, user.Source, user.IdentityProvider, user.InvitedAt,
        user.InvitedBy, user.BoundAt, user.LastSeenAt);
}
