using IpsOutcomes.Identity;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Organisations;

namespace IpsOutcomes.Pages.Users;

/// <summary>Users in the words of the person managing them: what someone can see and do, and where they are with it.</summary>
public static class UserWords
{
    public static string Scope(Grant grant, IReadOnlyDictionary<string, string> names) => grant.Role switch
    {
        Role.Admin => "Everything, and manages the service",
        Role.National => "Every organisation in England",
        Role.Icb => $"{Named(grant.OrganisationCode, names)} and its IPS services",
        _ => Named(grant.OrganisationCode, names),
    };

    /// <summary>The names of every ICB and IPS service, by code, for <see cref="Scope"/>.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> NamesAsync(OrganisationStore register, CancellationToken ct) =>
        (await register.IcbsAsync(ct)).Select(i => (i.Code, i.Name))
            .Concat((await register.ProvidersAsync(ct)).Select(p => (p.Code, p.Name)))
            .ToDictionary(o => o.Code, o => o.Name, StringComparer.OrdinalIgnoreCase);

    private static string Named(string? code, IReadOnlyDictionary<string, string> names) =>
        code is not null && names.TryGetValue(code, out var name) ? $"{name} ({code})" : code ?? "";

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
