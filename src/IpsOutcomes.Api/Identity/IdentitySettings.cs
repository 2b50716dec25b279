namespace IpsOutcomes.Identity;

/// <summary>
/// How people sign in (<c>Identity</c> in settings): the identity providers, whether a person may still sign in with a key,
/// and whom an uninvited person should ask.
/// </summary>
public sealed class IdentitySettings
{
    public List<IdentityProviderSettings> Providers { get; set; } = [];

    /// <summary>Key sign-in for people; unset, it is on only while no identity provider is configured.</summary>
    public bool? KeySignIn { get; set; }

    /// <summary>Whom a person who signs in without access should ask, in the words of the page that tells them.</summary>
    public string AskWho { get; set; } = "the person who runs IPS Outcomes for your ICB or for NHS England";

    public bool KeySignInAllowed => KeySignIn ?? Providers.Count == 0;

    public static IdentitySettings Read(IConfiguration configuration) =>
        configuration.GetSection("Identity").Get<IdentitySettings>() ?? new IdentitySettings();

    public IdentityProviderSettings? Provider(string name) =>
        Providers.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>One OpenID Connect identity provider (Entra ID, NHS CIS2, or the test provider): README, "Signing in with Entra ID or CIS2".</summary>
public sealed class IdentityProviderSettings
{
    /// <summary>Short, lower case, in addresses: <c>/sign-in/{name}/callback</c> is the redirect URI to register.</summary>
    public string Name { get; set; } = "";

    /// <summary>What the sign-in button says after "Sign in with".</summary>
    public string DisplayName { get; set; } = "";

    public string Authority { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string? ClientSecret { get; set; }

    /// <summary>
    /// A PFX file whose certificate proves the service to the provider instead of a secret (a signed client assertion,
    /// RFC 7523, as Entra ID takes for a certificate credential), and its password.
    /// </summary>
    public string? ClientCertificatePath { get; set; }

    public string? ClientCertificatePassword { get; set; }

    /// <summary>
    /// How the assertion reads: <c>rfc7523bis</c> (the default: typed <c>client-authentication+jwt</c>, for the issuer, as
    /// OpenIddict 7 and newer providers want) or <c>entra</c> (typed <c>JWT</c>, for the token endpoint, as Entra ID documents).
    /// </summary>
    public string ClientAssertionFormat { get; set; } = "rfc7523bis";
    public string[] Scopes { get; set; } = ["openid", "profile", "email"];

    /// <summary>The claim that is the person's stable id at this provider (Entra ID: <c>oid</c>; CIS2: <c>sub</c>).</summary>
    public string SubjectClaim { get; set; } = "sub";

    public string EmailClaim { get; set; } = "email";
    public string NameClaim { get; set; } = "name";

    /// <summary>
    /// The claim that says the e-mail is verified; empty where the provider only issues addresses it owns (an NHSmail
    /// tenant of Entra ID), so that every e-mail it sends counts as verified.
    /// </summary>
    public string EmailVerifiedClaim { get; set; } = "email_verified";

    public string GroupsClaim { get; set; } = "groups";

    /// <summary>
    /// Groups that give a role without an invitation: group id to <c>admin</c>, <c>national</c>, <c>icb:QWO</c> or
    /// <c>provider:RXG01</c>, with <c>+unsuppressed</c>, <c>+sign_off</c> or <c>+team_lead</c> after it as the role allows.
    /// </summary>
    public Dictionary<string, string> Groups { get; set; } = [];

    /// <summary>Off only for a provider on loopback (the tests' and the README's test provider).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}
