using System.Security.Claims;
using System.Threading.RateLimiting;
using IpsOutcomes.Identity;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Keys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.WebUtilities;

namespace IpsOutcomes.Pages;

/// <summary>
/// A person's session: an HttpOnly, SameSite=Lax cookie (Secure over HTTPS) naming a session kept on the server, ended
/// after 8 hours without a request, at sign-out, and on the first request after its key is revoked or its user suspended or
/// removed. The pages ask only who the person is and what they may see (<see cref="Caller"/>), so a sign-in with a key and
/// one through an identity provider (<see cref="ProviderSignIn"/>) make the same session.
/// </summary>
public static class PageSessions
{
    public const string Scheme = "Pages";
    public const string Policy = "signed-in";
    public const string CookieName = "ips_session";

    /// <summary>The default scheme: an API key, or for a read of the API with no key, the page session.</summary>
    public const string KeyOrSession = "KeyOrSession";

    /// <summary>How the person proved who they are: "key", or "oidc:" and the identity provider's name.</summary>
    public const string ViaClaim = "ips_via";
    public const string ViaKey = "key";
    public const string OrganisationNameClaim = "ips_org_name";

    public static readonly TimeSpan IdleTimeout = TimeSpan.FromHours(8);

    /// <summary>
    /// A session's expiry is moved on at most once in this time, so that reading pages does not write to the database
    /// on every request: the idle limit counts from a request at most this much before the latest one.
    /// </summary>
    public static readonly TimeSpan RenewedAtMostEvery = TimeSpan.FromMinutes(5);

    private const string EndedItem = "ips_session_ended";

    public static void Configure(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = CookieName;
        options.Cookie.HttpOnly = true;
        // Lax, not Strict: coming back from an identity provider is a navigation another site started, and a Strict cookie
        // would not be sent on it. Forms carry antiforgery tokens, and the cookie never writes through the API.
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.ExpireTimeSpan = IdleTimeout;
        options.SlidingExpiration = true;
        options.LoginPath = "/sign-in";
        options.LogoutPath = "/sign-out";
        options.AccessDeniedPath = "/error/403";
        options.ReturnUrlParameter = "returnUrl";
        options.Events.OnValidatePrincipal = ValidateAsync;
        options.Events.OnRedirectToAccessDenied = context => context.Request.Path.StartsWithSegments("/api")
            ? Problems.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Not allowed", "This session may not do this.", ProblemTypes.Forbidden)
            : DefaultRedirect(context);
        options.Events.OnRedirectToLogin = context =>
        {
            // A download link (the API read with the session) answers as the API does: 401, not a sign-in page.
            if (context.Request.Path.StartsWithSegments("/api"))
                return Problems.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Your session has ended",
                    "Sign in again, or send an API key.", ProblemTypes.Unauthorized);
            // Say why the person is asked to sign in again: their key was revoked, or their session ended.
            var ended = context.HttpContext.Items[EndedItem] as string
                ?? (context.Request.Cookies.ContainsKey(options.Cookie.Name!) ? "expired" : null);
            context.Response.Redirect(ended is null ? context.RedirectUri : QueryHelpers.AddQueryString(context.RedirectUri, "ended", ended));
            return Task.CompletedTask;
        };
    }

    private static Task DefaultRedirect(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A page's "download this chart" and "download the data" links are the API's own addresses: a GET with no key but
    /// a session cookie is the session's, under the same scope, audit and rate limit. Writes always need a key, so the
    /// cookie can never be used to change anything through the API.
    /// </summary>
    public static string SelectScheme(HttpContext http)
    {
        var request = http.Request;
        var read = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        var sendsKey = request.Headers.Authorization.Count > 0 || request.Headers.ContainsKey("X-Api-Key");
        return read && !sendsKey && request.Cookies.ContainsKey(CookieName) ? Scheme : Keys.ApiKeyAuthenticationHandler.SchemeName;
    }

    /// <summary>The claims of a session: who it is, its scope, how they signed in, and their organisation's name for the header.</summary>
    public static ClaimsPrincipal PrincipalFor(Caller caller, string? organisationName, string via)
    {
        var claims = caller.ToClaims().Append(new Claim(ViaClaim, via));
        if (organisationName is not null) claims = claims.Append(new Claim(OrganisationNameClaim, organisationName));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme));
    }

    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var ct = context.HttpContext.RequestAborted;
        var caller = context.Principal is { } principal ? Caller.From(principal) : null;
        // A revoked key, or a suspended or removed user, ends the session on its next request.
        var ended = caller switch
        {
            { KeyId: { } keyId } when await services.GetRequiredService<ApiKeyStore>().GetAsync(keyId, ct) is not { RevokedAt: null } => "revoked",
            { UserId: { } userId }
                when await services.GetRequiredService<UserStore>().GetAsync(userId, ct) is not { Status: UserStatus.Active } => "suspended",
            _ => null,
        };
        if (ended is not null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
            context.HttpContext.Items[EndedItem] = ended;
            return;
        }
        // 8 hours from the latest request (within RenewedAtMostEvery), not from sign-in.
        var now = context.Options.TimeProvider?.GetUtcNow() ?? DateTimeOffset.UtcNow;
        context.ShouldRenew = context.Properties.IssuedUtc is not { } issued || now - issued >= RenewedAtMostEvery;
        if (context.ShouldRenew && caller?.UserId is { } seen) await services.GetRequiredService<UserStore>().SeenAsync(seen, ct);
    }
}

/// <summary>Sign-in attempts per address per minute (<c>Pages:SignInsPerMinute</c>, default 10; 0 turns it off).</summary>
public sealed class SignInThrottle(int perMinute) : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(address => perMinute <= 0
        ? RateLimitPartition.GetNoLimiter(address)
        : RateLimitPartition.GetFixedWindowLimiter(address,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1) }));

    public bool Allows(string? address)
    {
        using var lease = limiter.AttemptAcquire(address ?? "unknown");
        return lease.IsAcquired;
    }

    public void Dispose() => limiter.Dispose();
}
