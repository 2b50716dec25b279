using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IpsOutcomes.TestIdentityProvider;

/// <summary>A person the provider knows: who signs in when they are picked on its sign-in page.</summary>
public sealed record TestPerson(string Subject, string Email, string Name, bool EmailVerified = true, params string[] Groups);

/// <summary>What the provider does wrong on purpose, to its ID tokens, so that a test can see the service refuse it.</summary>
public enum Misbehaviour { None, WrongIssuer, ExpiredIdToken, UnsignedIdToken, WronglySignedIdToken }

/// <summary>
/// A real OpenID Connect provider on loopback, built on OpenIddict's server: discovery, keys, the authorisation code flow
/// with PKCE and RP-initiated sign-out, over plain HTTP. It has one client (<see cref="ClientId"/>) and no passwords:
/// its sign-in page lists its people, and picking one signs them in. Not for anything but tests and trying the service.
/// </summary>
public sealed class IdentityProvider : IAsyncDisposable
{
    public const string ClientId = "ipsoutcomes";
    public const string ClientSecret = "test-provider-secret";
    public const string GroupsClaim = "groups";

    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, TestPerson> people = new(StringComparer.Ordinal);
    private int codesIssued;

    private IdentityProvider(WebApplication app, Uri authority)
    {
        this.app = app;
        Authority = authority;
    }

    /// <summary>The issuer: where discovery is (<c>.well-known/openid-configuration</c>).</summary>
    public Uri Authority { get; private set; }

    public Misbehaviour Misbehaviour { get; set; }

    /// <summary>Where set, the client proves itself with an assertion signed by this certificate, not with the secret.</summary>
    public X509Certificate2? ClientCertificate { get; set; }

    /// <summary>How many authorisation codes this provider has handed out.</summary>
    public int CodesIssued => codesIssued;

    public void Add(TestPerson person) => people[person.Subject] = person;

    public static async Task<IdentityProvider> StartAsync(string url = "http://127.0.0.1:0", IEnumerable<TestPerson>? people = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        IdentityProvider? provider = null;
        builder.Services.AddOpenIddict().AddServer(options =>
        {
            options.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token")
                .SetEndSessionEndpointUris("connect/logout");
            options.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            options.RegisterScopes(Scopes.OpenId, Scopes.Email, Scopes.Profile);
            options.AddEphemeralSigningKey().AddEphemeralEncryptionKey().DisableAccessTokenEncryption();
            // No stores: the client is this class's constant, checked by the handlers below.
            options.EnableDegradedMode();
            options.UseAspNetCore().DisableTransportSecurityRequirement()
                .EnableAuthorizationEndpointPassthrough().EnableTokenEndpointPassthrough().EnableEndSessionEndpointPassthrough();
            options.AddEventHandler<OpenIddictServerEvents.ValidateAuthorizationRequestContext>(handler =>
                handler.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId) context.Reject(Errors.InvalidClient, "Unknown client.");
                else if (!Uri.TryCreate(context.RedirectUri, UriKind.Absolute, out var uri) || !uri.IsLoopback)
                    context.Reject(Errors.InvalidRequest, "The redirect address must be on loopback.");
                return default;
            }));
            // A client assertion is checked by OpenIddict itself; with no stores, it is told the one key the client signs with.
            options.AddEventHandler<OpenIddictServerEvents.ValidateTokenContext>(handler => handler.UseInlineHandler(context =>
            {
                if (provider!.ClientCertificate is { } certificate && context.Token == context.Request?.ClientAssertion)
                    context.TokenValidationParameters.IssuerSigningKeys = [new X509SecurityKey(certificate)];
                return default;
            }).SetOrder(OpenIddictServerHandlers.Protection.ResolveTokenValidationParameters.Descriptor.Order + 1));
            options.AddEventHandler<OpenIddictServerEvents.ValidateTokenRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId) context.Reject(Errors.InvalidClient, "Unknown client.");
                else if (provider!.ClientCertificate is not null
                    ? context.Request.ClientAssertion is null : context.ClientSecret != ClientSecret)
                    context.Reject(Errors.InvalidClient, "The client did not prove itself as it must.");
                return default;
            }));
            options.AddEventHandler<OpenIddictServerEvents.ValidateEndSessionRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.PostLogoutRedirectUri is { } back && (!Uri.TryCreate(back, UriKind.Absolute, out var uri) || !uri.IsLoopback))
                    context.Reject(Errors.InvalidRequest, "The address to go back to must be on loopback.");
                return default;
            }));
            options.AddEventHandler<OpenIddictServerEvents.ApplyTokenResponseContext>(handler => handler.UseInlineHandler(context =>
            {
                if (provider!.Misbehaviour != Misbehaviour.None && context.Response.IdToken is { } token)
                    context.Response.IdToken = provider.Forge(token, context.Options.SigningCredentials[0]);
                return default;
            }).SetOrder(int.MinValue + 100_000));
        });
        var app = builder.Build();
        app.MapMethods("connect/authorize", ["GET", "POST"], (HttpContext http) => provider!.Authorize(http));
        app.MapPost("connect/token", async (HttpContext http) =>
        {
            var code = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            return code.Principal is { } principal
                ? Results.SignIn(principal, null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)
                : Results.Forbid(null, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        });
        app.MapMethods("connect/logout", ["GET", "POST"], () =>
            Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        provider = new IdentityProvider(app, new Uri(address.TrimEnd('/') + "/"));
        foreach (var person in people ?? []) provider.Add(person);
        return provider;
    }

    /// <summary>The sign-in page: with <c>person=</c> it signs that person in; without, it lists whom it can.</summary>
    private IResult Authorize(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest()!;
        if (!people.TryGetValue(http.Request.Query["person"].ToString(), out var person))
        {
            var links = people.Values.OrderBy(p => p.Name).Select(p =>
                $"<li><a href=\"{WebUtility.HtmlEncode(http.Request.Path + http.Request.QueryString.Add("person", p.Subject).ToString())}\">" +
                $"{WebUtility.HtmlEncode(p.Name)}</a> ({WebUtility.HtmlEncode(p.Email)})</li>");
            return Results.Content($"""
                <!DOCTYPE html><html lang="en"><head><title>Test identity provider</title></head>
                <body><main><h1>Test identity provider</h1><p>Sign in as:</p><ul>{string.Concat(links)}</ul></main></body></html>
                """, "text/html", Encoding.UTF8);
        }
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, person.Subject).SetClaim(Claims.Email, person.Email).SetClaim(Claims.Name, person.Name)
            .SetClaim(Claims.EmailVerified, person.EmailVerified);
        identity.SetClaims(GroupsClaim, [.. person.Groups]);
        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
        Interlocked.Increment(ref codesIssued);
        return Results.SignIn(new ClaimsPrincipal(identity), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>The ID token as <see cref="Misbehaviour"/> spoils it: another issuer, expired, unsigned, or signed with
    /// another key under the right key's id.</summary>
    private string Forge(string idToken, SigningCredentials credentials)
    {
        var token = new JsonWebToken(idToken);
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(token.EncodedPayload))!.AsObject();
        var now = DateTimeOffset.UtcNow;
        var header = new Dictionary<string, object> { ["kid"] = token.Kid };
        var handler = new JsonWebTokenHandler();
        switch (Misbehaviour)
        {
            case Misbehaviour.WrongIssuer:
                payload["iss"] = "http://127.0.0.1:9/another-provider/";
                return handler.CreateToken(payload.ToJsonString(), credentials, header);
            case Misbehaviour.ExpiredIdToken:
                (payload["iat"], payload["nbf"], payload["exp"]) =
                    (now.AddHours(-2).ToUnixTimeSeconds(), now.AddHours(-2).ToUnixTimeSeconds(), now.AddHours(-1).ToUnixTimeSeconds());
                return handler.CreateToken(payload.ToJsonString(), credentials, header);
            case Misbehaviour.UnsignedIdToken:
                return handler.CreateToken(payload.ToJsonString());
            default:
                var stranger = new RsaSecurityKey(RSA.Create(2048)) { KeyId = token.Kid };
                return handler.CreateToken(payload.ToJsonString(), new SigningCredentials(stranger, SecurityAlgorithms.RsaSha256), header);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
