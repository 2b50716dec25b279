using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IpsOutcomes.Tests.Keys;

/// <summary>A BI tool's scheduled refresh: the key as the password of HTTP Basic, over HTTPS, with the key's own scope.</summary>
public class BasicAuthenticationTests
{
    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    [Fact]
    public async Task TheKeyIsThePasswordOverHttpsAndRefusedOverPlainHttp()
    {
        using var app = new TestApp();
        await app.RegisterProviderAsync("BA001", "QWO");
        var key = await app.IssueKeyAsync("provider", "BA001");

        using var https = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") });
        https.DefaultRequestHeaders.Authorization = Basic("power-bi", key);
        await Expect.Status(await https.GetAsync("/api/v1/indicators/catalogue"), HttpStatusCode.OK);
        // The same scope as the key sent any other way.
        await Expect.Problem(await https.GetAsync("/api/v1/indicators?level=icb&code=QWO&month=2025-03"), HttpStatusCode.Forbidden,
            "urn:ipsoutcomes:problem:forbidden");
        https.DefaultRequestHeaders.Authorization = Basic("power-bi", key + "x");
        await Expect.Status(await https.GetAsync("/api/v1/indicators/catalogue"), HttpStatusCode.Unauthorized);

        using var plain = app.CreateClient();
        plain.DefaultRequestHeaders.Authorization = Basic("anyone", key);
        var refused = await plain.GetAsync("/api/v1/indicators/catalogue");
        var problem = await Expect.Problem(refused, HttpStatusCode.Unauthorized, "urn:ipsoutcomes:problem:unauthorized");
        Assert.Contains("use HTTPS", problem.GetProperty("detail").GetString());
        Assert.Contains(refused.Headers.WwwAuthenticate, h => h.Scheme == "Basic");
    }

    [Fact]
    public async Task PlainHttpIsAllowedWhereADeploymentSaysSo()
    {
        using var app = new TestApp(settings: new() { ["Security:RequireHttps"] = "false" });
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = Basic("", app.BootstrapAdminKey);
        await Expect.Status(await client.GetAsync("/api/v1/keys"), HttpStatusCode.OK);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", "not base64!");
        await Expect.Status(await client.GetAsync("/api/v1/keys"), HttpStatusCode.Unauthorized);
    }
}
