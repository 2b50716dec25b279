using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IpsOutcomes.Pages;

/// <summary>What a person sees when something goes wrong: what to do next, never how the service failed.</summary>
public sealed class ErrorModel : PageModel
{
    public string Heading { get; private set; } = "";
    public string Advice { get; private set; } = "";

    public void OnGet(int? status) => Describe(status);

    private void Describe(int? status)
    {
        var code = status ?? StatusCodes.Status500InternalServerError;
        (Heading, Advice) = code switch
        {
            404 => ("Page not found", "If you typed the web address, check it is correct. If you pasted it, check you copied all of it."),
            403 => ("You cannot see this page", "Your key does not give access to it. Ask whoever gave you the key if you need it."),
            400 => ("The form could not be sent", "The page may have been open for too long. Go back, refresh the page and try again."),
            413 => ("The file is too large", "Check the file holds one month's return for one service."),
            429 => ("Too many requests", "Wait a minute, then try again."),
            _ => ("Sorry, there is a problem with the service", "Try again later. If it keeps happening, tell your ICB's IPS lead the time it happened."),
        };
        Response.StatusCode = code;
    }
}
