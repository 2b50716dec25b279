using System.Security.Cryptography.X509Certificates;
using IpsOutcomes.Audit;
using IpsOutcomes.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace IpsOutcomes.Pages;

/// <summary>
/// Signing in through an identity provider: ASP.NET Core's OpenID Connect handler, one scheme per configured provider, the
/// authorisation code flow with PKCE. The handler checks the ID token (issuer, audience, signature, expiry, nonce) and the
/// state; this only decides what the person it vouches for may do (<see cref="UserSignIn"/>) and makes the same server-side
/// page session as a key's. No token is kept.
/// </summary>
public static class ProviderSignIn
{
    public const string ViaPrefix = "oidc:";

    public static string SchemeOf(string provider) => "oidc-" + provider.ToLowerInvariant();

    public static AuthenticationBuilder AddProviderSignIn(this AuthenticationBuilder authentication, IdentitySettings settings)
    {
        foreach (var provider in settings.Providers)
            authentication.AddOpenIdConnect(SchemeOf(provider.Name), provider.DisplayName, options =>
            {
                options.Authority = provider.Authority;
                options.ClientId = provider.ClientId;
                options.ClientSecret = provider.ClientSecret;
                options.ResponseType = OpenIdConnectResponseType.Code;
                options.UsePkce = true;
                options.Scope.Clear();
                foreach (var scope in provider.Scopes) options.Scope.Add(scope);
                options.RequireHttpsMetadata = provider.RequireHttpsMetadata;
                options.CallbackPath = $"/sign-in/{provider.Name}/callback";
                options.SignedOutCallbackPath = $"/sign-out/{provider.Name}/callback";
                options.RemoteSignOutPath = $"/sign-out/{provider.Name}/remote";
                options.SignInScheme = PageSessions.Scheme;
                options.SaveTokens = false;
                options.GetClaimsFromUserInfoEndpoint = false;
                options.MapInboundClaims = false; // claims keep the names the settings give them
                options.TokenValidationParameters.NameClaimType = provider.NameClaim;
                // The answer comes back as a top-level GET, so the correlation and nonce cookies can be SameSite=Lax (a
                // form_post answer would need SameSite=None), and Secure whenever the service is on HTTPS.
                options.ResponseMode = OpenIdConnectResponseMode.Query;
                foreach (var cookie in new[] { options.CorrelationCookie, options.NonceCookie })
                {
                    cookie.SameSite = SameSiteMode.Lax;
                    cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                }
                // Tokens and cookies are stamped in real time, whatever clock the figures run on.
                options.TimeProvider = TimeProvider.System;
                options.Events.OnTicketReceived = context => TicketReceivedAsync(context, provider);
                if (provider.ClientCertificatePath is { } path)
                {
                    var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, provider.ClientCertificatePassword);
                    var entra = provider.ClientAssertionFormat.Equals("entra", StringComparison.OrdinalIgnoreCase);
                    options.Events.OnAuthorizationCodeReceived = async context =>
                    {
                        var discovered = await context.Options.ConfigurationManager!
                            .GetConfigurationAsync(context.HttpContext.RequestAborted);
                        var request = context.TokenEndpointRequest!;
                        request.ClientSecret = null;
                        request.ClientAssertionType = ClientAssertionType;
                        request.ClientAssertion = ClientAssertion(certificate, provider.ClientId,
                            entra ? discovered.TokenEndpoint : discovered.Issuer, entra ? "JWT" : "client-authentication+jwt");
                    };
                }
                options.Events.OnRemoteFailure = RemoteFailureAsync;
                options.Events.OnAccessDenied = context =>
                {
                    context.HandleResponse();
                    context.Response.Redirect("/sign-in/refused?reason=cancelled");
                    return Task.CompletedTask;
                };
            });
        return authentication;
    }

    private const string ClientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /// <summary>The service's proof of itself at the token endpoint, signed with its certificate: short-lived and used once.</summary>
    private static string ClientAssertion(X509Certificate2 certificate, string clientId, string audience, string type) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            TokenType = type,
            Issuer = clientId,
            Audience = audience,
            Claims = new Dictionary<string, object> { ["sub"] = clientId, ["jti"] = Guid.NewGuid().ToString("N") },
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new X509SigningCredentials(certificate),
        });

    private static async Task TicketReceivedAsync(TicketReceivedContext context, IdentityProviderSettings provider)
    {
        var http = context.HttpContext;
        var (user, refusal) = await http.RequestServices.GetRequiredService<UserSignIn>()
            .ResolveAsync(provider, context.Principal!, http.Connection.RemoteIpAddress?.ToString(), http.RequestAborted);
        if (user is null)
        {
            context.HandleResponse();
            context.Response.Redirect($"/sign-in/refused?reason={refusal.ToString()!.ToLowerInvariant()}");
            return;
        }
        context.Principal = await http.RequestServices.GetRequiredService<SessionPrincipals>()
            .ForAsync(user.AsCaller(), ViaPrefix + provider.Name, http.RequestAborted);
        context.Properties!.IsPersistent = false;
    }

    /// <summary>
    /// The handler refused the answer (a forged state, a code used twice, a token from another issuer, expired, unsigned or
    /// wrongly signed): audited with the handler's reason, and the person told plainly, with nothing of the token.
    /// </summary>
    private static async Task RemoteFailureAsync(RemoteFailureContext context)
    {
        context.HandleResponse();
        var http = context.HttpContext;
        await http.RequestServices.GetRequiredService<AuditLog>().WriteAsync(null, "session.sign_in_refused",
            $"identity/{context.Scheme.Name}", context.Failure?.Message, http.Connection.RemoteIpAddress?.ToString(), http.RequestAborted);
        context.Response.Redirect("/sign-in/refused?reason=failed");
    }
}
