using System.Globalization;
using System.Reflection;
using System.Security.Claims;

namespace IpsOutcomes.Infrastructure;

public enum Role { Provider, Icb, National, Admin }

/// <summary>
/// Who is behind a request, and what they may reach: a key (<see cref="KeyId"/>), or a person signed in through an identity
/// provider (<see cref="UserId"/>); <see cref="Name"/> is the key's name or the person's. <see cref="SignsOff"/>: may sign off
/// its ICB's publications; <see cref="LeadsTeam"/>: a provider's lead, who invites their own team.
/// </summary>
public sealed record Caller(long? KeyId, string Name, Role Role, string? OrganisationCode, bool Unsuppressed, bool SignsOff = false)
{
    public long? UserId { get; init; }
    public bool LeadsTeam { get; init; }

    public const string RoleClaim = "ips_role";
    public const string OrganisationClaim = "ips_org";
    public const string UnsuppressedClaim = "ips_unsuppressed";
    public const string SignOffClaim = "ips_sign_off";
    public const string UserClaim = "ips_user";
    public const string TeamLeadClaim = "ips_team_lead";

    /// <summary>The authorisation policy of routes only admins may use.</summary>
    public const string AdminPolicy = "admin";

    public bool ReachesEverything => Role is Role.National or Role.Admin;

    public bool CanReadIcb(string icbCode) =>
        ReachesEverything || (Role == Role.Icb && string.Equals(OrganisationCode, icbCode, StringComparison.OrdinalIgnoreCase));

    public bool CanReadProvider(string providerCode, string icbCode) => Role switch
    {
        Role.Provider => string.Equals(OrganisationCode, providerCode, StringComparison.OrdinalIgnoreCase),
        Role.Icb => string.Equals(OrganisationCode, icbCode, StringComparison.OrdinalIgnoreCase),
        _ => true,
    };

    public IEnumerable<Claim> ToClaims()
    {
        if (KeyId is { } key) yield return new Claim(ClaimTypes.NameIdentifier, key.ToString(CultureInfo.InvariantCulture));
        if (UserId is { } user) yield return new Claim(UserClaim, user.ToString(CultureInfo.InvariantCulture));
        yield return new Claim(ClaimTypes.Name, Name);
        yield return new Claim(RoleClaim, Role.ToString().ToLowerInvariant());
        if (OrganisationCode is not null) yield return new Claim(OrganisationClaim, OrganisationCode);
        if (Unsuppressed) yield return new Claim(UnsuppressedClaim, "true");
        if (SignsOff) yield return new Claim(SignOffClaim, "true");
        if (LeadsTeam) yield return new Claim(TeamLeadClaim, "true");
    }

    public static Caller? From(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true) return null;
        return new Caller(
            Id(user.FindFirstValue(ClaimTypes.NameIdentifier)),
            user.FindFirstValue(ClaimTypes.Name)!,
            Enum.Parse<Role>(user.FindFirstValue(RoleClaim)!, ignoreCase: true),
            user.FindFirstValue(OrganisationClaim),
            user.FindFirstValue(UnsuppressedClaim) == "true",
            user.FindFirstValue(SignOffClaim) == "true")
        {
            UserId = Id(user.FindFirstValue(UserClaim)),
            LeadsTeam = user.FindFirstValue(TeamLeadClaim) == "true",
        };

        static long? Id(string? value) => value is null ? null : long.Parse(value, CultureInfo.InvariantCulture);
    }

    /// <summary>Lets handlers take a <see cref="Caller"/> parameter on endpoints that require a key.</summary>
    public static ValueTask<Caller?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        ValueTask.FromResult(From(context.User));
}
