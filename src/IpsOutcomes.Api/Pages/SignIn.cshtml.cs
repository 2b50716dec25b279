using IpsOutcomes.Audit;
using IpsOutcomes.Identity;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Keys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IpsOutcomes.Pages;

/// <summary>
/// Signing in: the configured identity providers (<see cref="ProviderSignIn"/>), then a key, checked as the API checks it,
/// rate-limited per address, and audited either way.
/// </summary>
public sealed class SignInModel(ApiKeyStore keys, SignInThrottle throttle, AuthenticationFailures failures, AuditLog audit,
    SessionPrincipals principals, IdentitySettings identity) : PageModel
{
    public List<(string Field, string Message)> Errors { get; } = [];
    public string? Ended { get; private set; }
    public string ReturnUrl { get; private set; } = "/";
    public IReadOnlyList<IdentityProviderSettings> Providers => identity.Providers;
    public bool KeySignIn => identity.KeySignInAllowed;

    public void OnGet(string? returnUrl, string? ended)
    {
        ReturnUrl = LocalOr(Url, returnUrl);
        Ended = ended switch
        {
            "revoked" => "Your key has been revoked, so you have been signed out. Ask for a new key if you still need one.",
            "suspended" => $"Your access has been suspended or removed, so you have been signed out. Ask {identity.AskWho} if you think this is wrong.",
            "expired" => "You have been signed out because you had not used the service for 8 hours. Sign in again to carry on.",
            "signed-out" => "You have signed out.",
            _ => null,
        };
    }

    public async Task<IActionResult> OnPostAsync([FromForm] string? key, [FromForm] string? returnUrl, CancellationToken ct)
    {
        ReturnUrl = LocalOr(Url, returnUrl);
        var address = HttpContext.Connection.RemoteIpAddress?.ToString();
        if (!KeySignIn)
        {
            await audit.WriteAsync(null, "session.sign_in_refused", null, "key sign-in for people is turned off", address, ct);
            Errors.Add(("key", "Signing in with a key is turned off here. Sign in with your work account."));
            return Page();
        }
        var keyId = key is null ? null : ApiKeyStore.IdOf(key.Trim());
        if (!throttle.Allows(address) || failures.IsThrottled(address, keyId))
        {
            // Counted in the minute's one entry for this address, not written one by one: a flood must not flood the log.
            failures.Throttled(address, keyId);
            Errors.Add(("key", "There have been too many attempts to sign in from here. Wait a minute, then try again."));
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }
        if (string.IsNullOrWhiteSpace(key))
        {
            Errors.Add(("key", "Enter your key"));
            return Page();
        }
        var found = await keys.FindActiveAsync(key.Trim(), ct);
        if (found is null)
        {
            failures.Failed(address, keyId);
            await audit.WriteAsync(null, "session.sign_in_refused", null, "key not recognised or revoked", address, ct);
            Errors.Add(("key", "That key was not recognised, or it has been revoked. Check you copied all of it."));
            return Page();
        }
        var caller = new Caller(found.Id, found.Name, found.Role, found.OrganisationCode, found.Unsuppressed, found.SignOff);
        await HttpContext.SignInAsync(PageSessions.Scheme, await principals.ForAsync(caller, PageSessions.ViaKey, ct));
        await audit.WriteAsync(caller, "session.signed_in", $"key/{found.Id}", null, address, ct);
        return LocalRedirect(ReturnUrl);
    }

    /// <summary>
    /// Where to go after signing in: a local address of printable ASCII only, since a Location header carries nothing
    /// else (and look-alike slashes such as U+2215 are how an open redirect hides); anything else goes home.
    /// </summary>
    public static string LocalOr(IUrlHelper url, string? returnUrl) =>
        returnUrl is not null && returnUrl.All(c => c is > ' ' and < (char)127) && url.IsLocalUrl(returnUrl) ? returnUrl : "/";
}
