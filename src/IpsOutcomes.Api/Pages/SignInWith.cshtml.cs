using IpsOutcomes.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IpsOutcomes.Pages;

/// <summary>Off to the identity provider (its scheme's challenge), to come back to where the person was going.</summary>
public sealed class SignInWithModel(IdentitySettings identity, SignInThrottle throttle) : PageModel
{
    public IActionResult OnGet(string provider, string? returnUrl)
    {
        if (identity.Provider(provider) is not { } chosen) return NotFound();
        if (!throttle.Allows(HttpContext.Connection.RemoteIpAddress?.ToString())) return StatusCode(StatusCodes.Status429TooManyRequests);
        var back = new AuthenticationProperties { RedirectUri = SignInModel.LocalOr(Url, returnUrl) };
        return Challenge(back, ProviderSignIn.SchemeOf(chosen.Name));
    }
}
