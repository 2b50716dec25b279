using System.Reflection;
using System.Security.Claims;

namespace IpsOutcomes.Infrastructure;

public enum Role { Provider, Icb, National, Admin }

/// <summary>The key behind a request, and what it may reach; <see cref="SignsOff"/>: it may sign off its ICB's publications.</summary>
public sealed record Caller(long KeyId, string KeyName, Role Role, string? OrganisationCode, bool Unsuppressed, bool SignsOff = false)
{
    public const string RoleClaim = "ips_role";
    public const string OrganisationClaim = "ips_org";
    public const string UnsuppressedClaim = "ips_unsuppressed";
    public const string SignOffClaim = "ips_sign_off";

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
        yield return new Claim(ClaimTypes.NameIdentifier, KeyId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return new Claim(ClaimTypes.Name, KeyName);
        yield return new Claim(RoleClaim, Role.ToString().ToLowerInvariant());
        if (OrganisationCode is not null) yield return new Claim(OrganisationClaim, OrganisationCode);
        if (Unsuppressed) yield return new Claim(UnsuppressedClaim, "true");
        if (SignsOff) yield return new Claim(SignOffClaim, "true");
    }

    public static Caller? From(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true) return null;
        return new Caller(
            long.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!, System.Globalization.CultureInfo.InvariantCulture),
            user.FindFirstValue(ClaimTypes.Name)!,
            Enum.Parse<Role>(user.FindFirstValue(RoleClaim)!, ignoreCase: true),
            user.FindFirstValue(OrganisationClaim),
            user.FindFirstValue(UnsuppressedClaim) == "true",
            user.FindFirstValue(SignOffClaim) == "true");
    }

    /// <summary>Lets handlers take a <see cref="Caller"/> parameter on endpoints that require a key.</summary>
    public static ValueTask<Caller?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        ValueTask.FromResult(From(context.User));
}
