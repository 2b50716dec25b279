using IpsOutcomes.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IpsOutcomes.Pages;

/// <summary>
/// Why a sign-in through an identity provider did not let the person in, and whom to ask: nothing else (no figures, no
/// names of organisations, nothing of the token).
/// </summary>
public sealed class SignInRefusedModel(IdentitySettings identity) : PageModel
{
    public string Heading { get; private set; } = "";
    public string Explanation { get; private set; } = "";

    public void OnGet(string? reason)
    {
        (Heading, Explanation) = reason switch
        {
            "uninvited" => ("You do not have access to IPS outcomes",
                $"Your account was recognised, but nobody has given it access yet. Ask {identity.AskWho} to invite you."),
            "unverified" => ("Your e-mail address is not confirmed",
                $"Your invitation can only be used by an account whose e-mail address has been confirmed. Confirm it with your account provider, or ask {identity.AskWho}."),
            "suspended" => ("Your access has been suspended",
                $"Ask {identity.AskWho} if you think this is wrong."),
            "cancelled" => ("You did not finish signing in", "You can try again."),
            _ => ("Sign-in did not work",
                $"Your account provider's answer could not be accepted, so you have not been signed in. Try again; if it happens again, tell {identity.AskWho}."),
        };
    }
}
