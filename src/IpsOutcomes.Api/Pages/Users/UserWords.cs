using IpsOutcomes.Identity;
using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Pages.Users;

/// <summary>Users in the words of the person managing them: what someone can see and do, and where they are with it.</summary>
public static class UserWords
{
    public static string Scope(Grant grant) => grant.Role switch
    {
        Role.Admin => "Everything, and manages the service",
        Role.National => "Every organisation in England",
        Role.Icb => $"ICB {grant.OrganisationCode} and its IPS services",
        _ => $"IPS service {grant.OrganisationCode}",
    };

    public static IEnumerable<string> Permissions(Grant grant)
    {
        if (grant.Unsuppressed) yield return "sees exact figures";
        if (grant.SignOff) yield return "signs off publications";
        if (grant.TeamLead) yield return "team lead: invites their team";
    }

    public static (string Words, string Colour) Status(UserStatus status) => status switch
    {
        UserStatus.Invited => ("Invited", "grey"),
        UserStatus.Active => ("Active", "green"),
        _ => ("Suspended", "red"),
    };

    public static string LastSeen(DateTimeOffset? at) => at is { } seen ? PlainEnglish.Time(seen) : "Not yet";
}
