using IpsOutcomes.Audit;
using IpsOutcomes.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IpsOutcomes.Pages;

/// <summary>Signing out ends the session on the server, not only the cookie.</summary>
public sealed class SignOutModel(AuditLog audit) : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var caller = Caller.From(User);
        await HttpContext.SignOutAsync(PageSessions.Scheme);
        if (caller is not null)
            await audit.WriteAsync(caller, "session.signed_out", $"key/{caller.KeyId}", null, HttpContext.Connection.RemoteIpAddress?.ToString(), ct);
        return Redirect("/sign-in?ended=signed-out");
    }
}
