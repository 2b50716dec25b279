using IpsOutcomes.Audit;
using IpsOutcomes.Identity;
using IpsOutcomes.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IpsOutcomes.Pages;

/// <summary>
/// Signing out ends the session on the server, not only the cookie; a person who came through an identity provider is
/// signed out there too (RP-initiated sign-out), and comes back to the sign-in page.
/// </summary>
public sealed class SignOutModel(AuditLog audit, IdentitySettings identity) : PageModel
{
    private const string SignedOut = "/sign-in?ended=signed-out";

    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var caller = Caller.From(User);
        var via = User.FindFirst(PageSessions.ViaClaim)?.Value ?? "";
        await HttpContext.SignOutAsync(PageSessions.Scheme);
        if (caller is not null)
            await audit.WriteAsync(caller, "session.signed_out", caller.UserId is { } user ? $"user/{user}" : $"key/{caller.KeyId}", null,
                HttpContext.Connection.RemoteIpAddress?.ToString(), ct);
        var provider = via.StartsWith(ProviderSignIn.ViaPrefix, StringComparison.Ordinal)
            ? identity.Provider(via[ProviderSignIn.ViaPrefix.Length..]) : null;
        if (provider is not null)
            return SignOut(new AuthenticationProperties { RedirectUri = SignedOut }, ProviderSignIn.SchemeOf(provider.Name));
        return Redirect(SignedOut);
    }
}
