using System.Security.Claims;
using System.Text.Encodings.Web;
using IpsOutcomes.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace IpsOutcomes.Keys;

/// <summary>Reads <c>Authorization: ApiKey &lt;secret&gt;</c> or <c>X-Api-Key: &lt;secret&gt;</c>.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyStore keys,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var secret = ReadSecret(Request);
        if (secret is null) return AuthenticateResult.NoResult();
        var key = await keys.FindActiveAsync(secret, Context.RequestAborted);
        if (key is null) return AuthenticateResult.Fail("The API key is not valid, or it has been revoked.");
        var caller = new Caller(key.Id, key.Name, key.Role, key.OrganisationCode, key.Unsuppressed);
        var principal = new ClaimsPrincipal(new ClaimsIdentity(caller.ToClaims(), SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
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
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = SchemeName;
        var result = await HandleAuthenticateOnceSafeAsync();
        await WriteProblemAsync(401, "An API key is required", result.Failure?.Message
            ?? "Send your key as 'Authorization: ApiKey <secret>' or 'X-Api-Key: <secret>'.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return WriteProblemAsync(403, "Not allowed for this key", "This key's role may not do this.");
    }

    private async Task WriteProblemAsync(int status, string title, string detail)
    {
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail, Type = status == 401 ? ProblemTypes.Unauthorized : ProblemTypes.Forbidden },
        });
    }
}

public static class ApiKeySetup
{
    public static WebApplicationBuilder AddApiKeys(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ApiKeyStore>();
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Caller.AdminPolicy, policy => policy.RequireClaim(Caller.RoleClaim, "admin"));
        builder.Services.AddSingleton(new OperatorConsole(Console.Out));
        builder.Services.AddHostedService<AdminKeyBootstrap>();
        return builder;
    }
}
