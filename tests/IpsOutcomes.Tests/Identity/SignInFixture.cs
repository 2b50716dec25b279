using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IpsOutcomes.TestIdentityProvider;
using IpsOutcomes.Tests.Pages;

namespace IpsOutcomes.Tests.Identity;

/// <summary>
/// The pages' service (<see cref="PagesFixture"/>) with a real OpenID Connect provider on loopback as its identity provider,
/// configured as an operator would (README, "Signing in with Entra ID or CIS2"): an Entra-style group that makes West
/// Yorkshire analysts, and no key sign-in for people, as is the default once a provider is configured.
/// </summary>
public sealed class SignInFixture : PagesFixture
{
    public const string AnalystsGroup = "7f1c2a9e-wy-ips-analysts";
    public const string AskWho = "the IPS Outcomes team at your ICB";

    public IdentityProvider Provider { get; private set; } = null!;

    protected override async Task<Dictionary<string, string?>> SettingsAsync()
    {
        Provider = await IdentityProvider.StartAsync();
        return new()
        {
            ["Identity:AskWho"] = AskWho,
            ["Identity:Providers:0:Name"] = "test",
            ["Identity:Providers:0:DisplayName"] = "your NHS account",
            ["Identity:Providers:0:Authority"] = Provider.Authority.ToString(),
            ["Identity:Providers:0:ClientId"] = IdentityProvider.ClientId,
            ["Identity:Providers:0:ClientSecret"] = IdentityProvider.ClientSecret,
            ["Identity:Providers:0:RequireHttpsMetadata"] = "false",
            [$"Identity:Providers:0:Groups:{AnalystsGroup}"] = "icb:QWO",
        };
    }

    /// <summary>A person the provider knows, invited (by the admin key, through the API) to <paramref name="grant"/> unless null.</summary>
    public async Task<TestPerson> PersonAsync(string name, object? grant, bool verified = true, params string[] groups)
    {
        var subject = Guid.NewGuid().ToString("N");
        var person = new TestPerson(subject, $"{subject[..8]}@example.nhs.uk", name, verified, groups);
        Provider.Add(person);
        if (grant is not null)
        {
            using var admin = App.Admin();
            var body = JsonSerializer.SerializeToElement(grant, TestApp.Json).EnumerateObject()
                .ToDictionary(p => p.Name, p => (object?)p.Value);
            body["email"] = person.Email;
            body["name"] = name;
            var response = await admin.PostAsJsonAsync("/api/v1/users", body);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        return person;
    }

    public async Task<JsonElement> UserAsync(TestPerson person)
    {
        using var admin = App.Admin();
        var users = await admin.GetFromJsonAsync<JsonElement>("/api/v1/users");
        return users.EnumerateArray().Single(u => u.GetProperty("email").GetString() == person.Email);
    }

    /// <summary>
    /// A client that follows the sign-in through the provider one redirect at a time, as a browser would, keeping cookies:
    /// for the refusals, where each step's answer is what is tested.
    /// </summary>
    public HttpClient RedirectByHand(CookieContainer cookies) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = Address };

    /// <summary>Start at the service, pick the person at the provider, and bring the provider's answer back: the service's answer to
    /// it.</summary>
    public static async Task<(HttpResponseMessage Answer, Uri Callback)> ThroughProviderAsync(HttpClient client, TestPerson person)
    {
        var start = await client.GetAsync("/sign-in/with/test?returnUrl=/");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        using var provider = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var chosen = await provider.GetAsync($"{start.Headers.Location}&person={person.Subject}");
        var callback = chosen.Headers.Location ?? throw new InvalidOperationException($"The provider answered {chosen.StatusCode}");
        return (await client.GetAsync(callback), callback);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Provider.DisposeAsync();
    }
}
