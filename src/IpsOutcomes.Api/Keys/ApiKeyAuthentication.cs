using System.Security.Claims;
using System.Text.Encodings.Web;
using IpsOutcomes.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace IpsOutcomes.Keys;

/// <summary>
/// Reads <c>Authorization: ApiKey &lt;secret&gt;</c>, <c>X-Api-Key: &lt;secret&gt;</c>, or the key as the password of
/// HTTP Basic authentication (any user name), for BI tools whose scheduled refresh stores a credential but cannot keep
/// a key in a custom header. Basic sends the key in the clear, so it is refused on plain HTTP when
/// <c>Security:RequireHttps</c> is set (the default).
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyStore keys,
    AuthenticationFailures failures,
    IConfiguration configuration)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    private const string ThrottledItem = "ips_authentication_throttled";

    private bool RequireHttps => configuration.GetValue("Security:RequireHttps", true);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BasicPassword(Request) is { } password)
        {
            if (RequireHttps && !Request.IsHttps)
                return AuthenticateResult.Fail("HTTP Basic authentication sends the key as it is: use HTTPS, or send the key as 'Authorization: ApiKey <secret>'.");
            return await AuthenticateAsync(password);
        }
        var secret = ReadSecret(Request);
        if (secret is null) return AuthenticateResult.NoResult();
        return await AuthenticateAsync(secret);
    }

    private async Task<AuthenticateResult> AuthenticateAsync(string secret)
    {
        var address = Context.Connection.RemoteIpAddress?.ToString();
        var keyId = ApiKeyStore.IdOf(secret);
        // Too many wrong keys from here, or naming this key: not even looked at until the minute is out.
        if (failures.IsThrottled(address, keyId))
        {
            failures.Throttled(address, keyId);
            Context.Items[ThrottledItem] = true;
            return AuthenticateResult.Fail("Too many wrong keys have been sent from this address, or naming this key. Wait a minute, then try again.");
        }
        var key = await keys.FindActiveAsync(secret, Context.RequestAborted);
        if (key is null)
        {
            failures.Failed(address, keyId);
            return AuthenticateResult.Fail("The API key is not valid, or it has been revoked.");
        }
        var caller = new Caller(key.Id, key.Name, key.Role, key.OrganisationCode, key.Unsuppressed, key.SignOff);
        var principal = new ClaimsPrincipal(new ClaimsIdentity(caller.ToClaims(), SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <summary>The password of <c>Authorization: Basic base64(user:password)</c>; the user name is ignored.</summary>
    private static string? BasicPassword(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            var decoded = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
            var colon = decoded.IndexOf(':');
            return colon < 0 ? "" : decoded[(colon + 1)..];
        }
        catch (FormatException)
        {
            return "";
        }
    }

    private static string? ReadSecret(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith(SchemeName + " ", StringComparison.OrdinalIgnoreCase))
            return authorization[(SchemeName.Length + 1)..].Trim();
        var header = request.Headers["X-Api-Key"].ToString().Trim();
        return header.Length > 0 ? header : null;
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        if (Context.Items.ContainsKey(ThrottledItem))
        {
            await Problems.WriteAsync(Context, StatusCodes.Status429TooManyRequests, "Too many wrong keys", result.Failure?.Message,
                ProblemTypes.TooManyRequests, retryAfterSeconds: 60);
            return;
        }
        Response.Headers.WWWAuthenticate = new[] { SchemeName, "Basic realm=\"IpsOutcomes\", charset=\"UTF-8\"" };
        await Problems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "An API key is required", result.Failure?.Message
            ?? "Send your key as 'Authorization: ApiKey <secret>', 'X-Api-Key: <secret>', or as the password of HTTP Basic authentication over HTTPS.",
            ProblemTypes.Unauthorized);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.WriteAsync(Context, StatusCodes.Status403Forbidden, "Not allowed for this key", "This key's role may not do this.", ProblemTypes.Forbidden);
}

public static class ApiKeySetup
{
    public static WebApplicationBuilder AddApiKeys(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ApiKeyStore>();
        builder.Services.AddSingleton<AuthenticationFailures>();
        builder.Services.AddHostedService(services => services.GetRequiredService<AuthenticationFailures>());
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Caller.AdminPolicy, policy => policy.RequireClaim(Caller.RoleClaim, "admin"));
        builder.Services.AddSingleton(new OperatorConsole(Console.Out));
        builder.Services.AddHostedService<AdminKeyBootstrap>();
        return builder;
    }
}
