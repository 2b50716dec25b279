using System.Security.Claims;
using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Pages;

/// <summary>
/// The principal of a new page session, whichever way the person signed in: with their organisation's name for the header.
/// </summary>
public sealed class SessionPrincipals(IndicatorService organisations)
{
    public async Task<ClaimsPrincipal> ForAsync(Caller caller, string via, CancellationToken ct)
    {
        var level = caller.Role == Role.Provider ? OrganisationLevel.Provider : OrganisationLevel.Icb;
        var name = caller.OrganisationCode is null ? null
            : (await organisations.OrganisationsAsync(level, caller.OrganisationCode, null, ct))?.FirstOrDefault()?.Name;
        return PageSessions.PrincipalFor(caller, name, via);
    }
}
