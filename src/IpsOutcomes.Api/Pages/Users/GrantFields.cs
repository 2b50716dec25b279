using IpsOutcomes.Identity;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Organisations;

namespace IpsOutcomes.Pages.Users;

/// <summary>The fields of what a person may see and do, as the invite and change pages ask for them.</summary>
public sealed record GrantFields(Caller Actor, IReadOnlyList<Provider> Services, Grant Grant,
    IReadOnlyList<(string Field, string Message)> Errors)
{
    /// <summary>The services <paramref name="actor"/> may give a place in: an ICB's own, or a team lead's one.</summary>
    public static async Task<IReadOnlyList<Provider>> ServicesOfAsync(Caller actor, OrganisationStore register, CancellationToken ct) =>
        actor switch
        {
            { Role: Role.Icb } => await register.ProvidersAsync(actor.OrganisationCode, null, ct),
            { Role: Role.Provider, OrganisationCode: { } code } => await register.ProviderAsync(code, ct) is { } own ? [own] : [],
            _ => [],
        };

    public string? ErrorFor(string field) => Errors.FirstOrDefault(e => e.Field == field).Message;

    public string Group(string field) => ErrorFor(field) is null ? "nhsuk-form-group" : "nhsuk-form-group nhsuk-form-group--error";

    /// <summary>What the form asked for, cut to what <paramref name="actor"/> may offer (the rules still decide).</summary>
    public static Grant Posted(Caller actor, Role role, string? organisation, bool unsuppressed, bool signOff, bool teamLead) => new(
        actor.Role == Role.Admin ? role : Role.Provider,
        actor.LeadsTeam ? actor.OrganisationCode : string.IsNullOrWhiteSpace(organisation) ? null : organisation.Trim(),
        unsuppressed && actor.Role == Role.Admin, signOff && actor.Role == Role.Admin, teamLead && actor.Role != Role.Provider);

    /// <summary>The errors of a change or an invitation, against the ids of the form's fields.</summary>
    public static IEnumerable<(string Field, string Message)> ErrorsOf(UserOutcome outcome) =>
        (outcome.Errors ?? []).Select(e => (e.Key == "name" ? "person-name" : e.Key.Replace('_', '-'), e.Value[0]))
            .Concat(outcome.Forbidden is { } why ? [("role", why)] : []);
}
