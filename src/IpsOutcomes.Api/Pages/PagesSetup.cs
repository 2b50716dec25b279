using IpsOutcomes.Identity;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Returns;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IpsOutcomes.Pages;

/// <summary>
/// The pages for people: server-rendered Razor Pages on the same services as the API, signed in with a cookie
/// session, styled with the NHS.UK design system (wwwroot/nhsuk-frontend, pinned; tools/refresh-nhsuk-frontend.sh).
/// </summary>
public static class PagesSetup
{
    public static WebApplicationBuilder AddPages(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // Session cookies and antiforgery tokens are protected with keys kept beside the data, so they outlive a restart.
        services.AddDataProtection().SetApplicationName("IpsOutcomes")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(DataFolder.Resolve(builder.Configuration), "data-protection-keys")));
        services.AddSingleton<PageSessionStore>();
        services.AddSingleton<CommissionerServices>();
        services.AddSingleton<SessionPrincipals>();
        services.AddSingleton(new SignInThrottle(builder.Configuration.GetValue("Pages:SignInsPerMinute", 10)));
        services.AddAuthentication(options => options.DefaultScheme = PageSessions.KeyOrSession)
            .AddCookie(PageSessions.Scheme, PageSessions.Configure)
            .AddPolicyScheme(PageSessions.KeyOrSession, "An API key, or a page session for reads", options => options.ForwardDefaultSelector = PageSessions.SelectScheme)
            .AddProviderSignIn(IdentitySettings.Read(builder.Configuration));
        services.AddOptions<CookieAuthenticationOptions>(PageSessions.Scheme)
            .Configure<PageSessionStore>((options, store) => options.SessionStore = store);
        services.AddAuthorizationBuilder().AddPolicy(PageSessions.Policy,
            policy => policy.AddAuthenticationSchemes(PageSessions.Scheme).RequireAuthenticatedUser());
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "ips_antiforgery";
            options.HeaderName = "RequestVerificationToken"; // the send page puts the form's first field here
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddRazorPages(options =>
        {
            options.Conventions.AuthorizeFolder("/", PageSessions.Policy);
            options.Conventions.AllowAnonymousToPage("/SignIn");
            options.Conventions.AllowAnonymousToPage("/SignInWith");
            options.Conventions.AllowAnonymousToPage("/SignInRefused");
            options.Conventions.AllowAnonymousToPage("/Error");
            options.Conventions.AllowAnonymousToFolder("/Rules");
            // A commissioner's page shows its figures as published with publication= or as_at=, like the API's figure routes.
            options.Conventions.AddFolderApplicationModelConvention("/Commission",
                page => page.EndpointMetadata.Add(PublishableFigures.Mark));
        });
        // A return comes through the send page as it does through the API: up to the upload limit, plus multipart's framing.
        services.AddOptions<RazorPagesOptions>().Configure<ReturnLimits>((options, limits) =>
            options.Conventions.AddPageApplicationModelConvention("/Send",
                page => page.EndpointMetadata.Add(new RequestSizeLimitAttribute(limits.MaxBytes + 64 * 1024))));
        return builder;
    }

    /// <summary>The design system's files, and for page addresses an error page in place of problem details.</summary>
    public static WebApplication UsePages(this WebApplication app)
    {
        app.UseStaticFiles();
        // For people, a failure or a bare status (404, 400, 500) sends them to the error page that says what to do;
        // the API keeps its problem details.
        app.UseWhen(http => ServicePaths.IsPage(http.Request.Path), pages =>
        {
            pages.UseExceptionHandler(new ExceptionHandlerOptions
            {
                ExceptionHandler = http =>
                {
                    http.Response.Redirect("/error/500");
                    return Task.CompletedTask;
                },
            });
            pages.UseStatusCodePagesWithRedirects("/error/{0}");
        });
        return app;
    }

    public static WebApplication MapPages(this WebApplication app)
    {
        app.MapRazorPages();
        return app;
    }
}

