using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace IpsOutcomes.Infrastructure;

/// <summary>
/// The headers a web page needs, on every answer: a Content-Security-Policy that lets a page run only the service's own
/// scripts and styles (no inline script, no framing, forms posted only here), <c>nosniff</c> so a chart or a CSV is never
/// read as something else, no referrer, and HSTS over HTTPS. Behind a TLS-terminating proxy listed in
/// <c>Security:TrustedProxies</c>, its <c>X-Forwarded-Proto</c> and <c>X-Forwarded-For</c> are believed, so cookies are
/// Secure and audit entries and sign-in limits see the person's address; from anyone else they are ignored.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Pages and their assets: the service's own files only; forms posted here, or on to a configured identity provider (a
    /// browser holds a form's redirects to form-action too, and signing out goes on to the provider's sign-out page).
    /// </summary>
    public static string PagePolicy(IConfiguration configuration)
    {
        var providers = configuration.GetSection("Identity:Providers").GetChildren()
            .Select(p => Uri.TryCreate(p["Authority"], UriKind.Absolute, out var authority) ? " " + authority.GetLeftPart(UriPartial.Authority) : "")
            .Distinct();
        return $"default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'{string.Concat(providers)}; "
            + "frame-ancestors 'none'";
    }

    /// <summary>The API's answers (JSON, CSV, an SVG chart opened on its own) are data: nothing in them may load or run.</summary>
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'; sandbox";

    /// <summary>Swagger UI and the jobs dashboard are third-party pages with inline script of their own: they may not be framed.</summary>
    private const string ToolPolicy = "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'";

    public static WebApplicationBuilder AddSecurityHeaders(this WebApplicationBuilder builder)
    {
        var proxies = builder.Configuration.GetSection("Security:TrustedProxies").Get<string[]>()
            ?? (builder.Configuration["Security:TrustedProxies"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the proxies named: the framework's default trusts loopback, which any local process can be.
            options.KnownIPNetworks.Clear();
            options.KnownProxies.Clear();
            foreach (var proxy in proxies) options.KnownProxies.Add(IPAddress.Parse(proxy));
        });
        return builder;
    }

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        var pagePolicy = PagePolicy(app.Configuration);
        app.UseForwardedHeaders();
        app.Use((http, next) =>
        {
            // Set as the answer starts, so that an error page written after a failure has them too.
            http.Response.OnStarting(() =>
            {
                Add(http, pagePolicy);
                return Task.CompletedTask;
            });
            return next(http);
        });
        return app;
    }

    private static void Add(HttpContext http, string pagePolicy)
    {
        var path = http.Request.Path;
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = ServicePaths.IsApi(path) ? ApiPolicy : ServicePaths.IsTool(path) ? ToolPolicy : pagePolicy;
        if (http.Request.IsHttps) headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
    }
}
