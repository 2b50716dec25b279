using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Identity;

/// <summary>
/// Who may see and manage whom (identity.md): an admin anyone; an ICB its own providers' staff; a provider's lead their own
/// team. Pure: the provider's ICB is looked up by the caller of these.
/// </summary>
public static class UserAccess
{
    /// <summary>Why <paramref name="actor"/> may not give <paramref name="grant"/> to someone (null: they may).</summary>
    public static string? Refusal(Caller actor, Grant grant, string? icbOfProvider) => actor.Role switch
    {
        Role.Admin => null,
        Role.Icb when grant.Role == Role.Provider && Same(icbOfProvider, actor.OrganisationCode)
            && !grant.Unsuppressed && !grant.SignOff => null,
        Role.Icb => "An ICB manages its own providers' staff only, as provider users.",
        Role.Provider when actor.LeadsTeam && grant.Role == Role.Provider && Same(grant.OrganisationCode, actor.OrganisationCode)
            && !grant.TeamLead => null,
        Role.Provider when actor.LeadsTeam => "A team lead manages their own service's team only, and cannot make another lead.",
        _ => "Only an admin, an ICB, or a provider's team lead manages users.",
    };

    /// <summary>Whether <paramref name="viewer"/> sees a user with <paramref name="grant"/> in the list of users.</summary>
    public static bool Sees(Caller viewer, Grant grant, string? icbOfProvider) => viewer.Role switch
    {
        Role.Admin or Role.National => true,
        Role.Icb => Same(grant.OrganisationCode, viewer.OrganisationCode) || Same(icbOfProvider, viewer.OrganisationCode),
        _ => grant.Role == Role.Provider && Same(grant.OrganisationCode, viewer.OrganisationCode),
    };

    /// <summary>Whether <paramref name="actor"/> manages users at all (and so sees the Users page).</summary>
    public static bool ManagesUsers(Caller actor) =>
        actor.Role is Role.Admin or Role.Icb || actor is { Role: Role.Provider, LeadsTeam: true };

    /// <summary>
    /// A group's role as configured (<c>icb:QWO+unsuppressed</c>); null if it does not read as one.
    /// </summary>
    public static Grant? ParseGroupRole(string text)
    {
        var parts = text.Split('+', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) return null;
        var head = parts[0].Split(':', 2, StringSplitOptions.TrimEntries);
        if (!Enum.TryParse<Role>(head[0], true, out var role) || !Enum.IsDefined(role)) return null;
        var organisation = head.Length > 1 ? head[1].ToUpperInvariant() : null;
        if ((role is Role.Icb or Role.Provider) != (organisation is { Length: > 0 })) return null;
        var flags = parts.Skip(1).Select(p => p.ToLowerInvariant()).ToHashSet();
        if (flags.Except(["unsuppressed", "sign_off", "team_lead"]).Any()) return null;
        return new Grant(role, organisation, flags.Contains("unsuppressed"), flags.Contains("sign_off"), flags.Contains("team_lead"));
    }

    private static bool Same(string? a, string? b) => a is not null && string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
