using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IpsOutcomes.Keys;
using Microsoft.Extensions.DependencyInjection;

namespace IpsOutcomes.Tests.Keys;

public class KeysTests
{
    [Fact]
    public async Task AnIssuedKeyWorksByEitherHeaderAndItsSecretIsShownOnlyOnce()
    {
        using var app = new TestApp();
        await app.RegisterProviderAsync("KEY01", "QWO");
        var secret = await app.IssueKeyAsync("provider", "KEY01", name: "KEY01 uploads");

        using var byAuthorization = app.ClientWithKey(secret);
        var current = await byAuthorization.GetFromJsonAsync<JsonElement>("/api/v1/keys/current");
        Assert.Equal("provider", current.GetProperty("role").GetString());
        Assert.Equal("KEY01", current.GetProperty("organisation_code").GetString());
        Assert.False(current.TryGetProperty("secret", out _));

        using var byHeader = app.CreateClient();
        byHeader.DefaultRequestHeaders.Add("X-Api-Key", secret);
        await Expect.Status(await byHeader.GetAsync("/api/v1/keys/current"), HttpStatusCode.OK);

        using var admin = app.Admin();
        var listed = await admin.GetStringAsync("/api/v1/keys");
        Assert.Contains("KEY01 uploads", listed);
        Assert.DoesNotContain(secret.Split('_', 3)[2], listed);
    }

    [Fact]
    public async Task ARevokedKeyIsRefusedOnItsVeryNextRequest()
    {
        using var app = new TestApp();
        var secret = await app.IssueKeyAsync("national");
        using var national = app.ClientWithKey(secret);
        var current = await national.GetFromJsonAsync<JsonElement>("/api/v1/keys/current");
        var id = current.GetProperty("id").GetInt64();

        using var admin = app.Admin();
        await Expect.Status(await admin.DeleteAsync($"/api/v1/keys/{id}"), HttpStatusCode.NoContent);
        await Expect.Problem(await national.GetAsync("/api/v1/icbs"), HttpStatusCode.Unauthorized, "urn:ipsoutcomes:problem:unauthorized");
        // Revoking again changes nothing; an unknown key is a 404 problem.
        await Expect.Status(await admin.DeleteAsync($"/api/v1/keys/{id}"), HttpStatusCode.NoContent);
        await Expect.Problem(await admin.DeleteAsync("/api/v1/keys/9999"), HttpStatusCode.NotFound, "urn:ipsoutcomes:problem:not-found");

        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/v1/keys");
        Assert.NotEqual(JsonValueKind.Null, listed.EnumerateArray().Single(k => k.GetProperty("id").GetInt64() == id)
            .GetProperty("revoked_at").ValueKind);
    }

    [Fact]
    public async Task KeyRequestsAreValidatedAgainstRolesAndOrganisations()
    {
        using var app = new TestApp();
        using var admin = app.Admin();
        async Task<JsonElement> Refused(object request) => await Expect.Problem(
            await admin.PostAsJsonAsync("/api/v1/keys", request), HttpStatusCode.BadRequest, "urn:ipsoutcomes:problem:validation");

        var unknownProvider = await Refused(new { name = "x", role = "provider", organisation_code = "NOPE1" });
        Assert.True(unknownProvider.GetProperty("errors").TryGetProperty("organisation_code", out _));
        var unknownIcb = await Refused(new { name = "x", role = "icb", organisation_code = "ZZZ" });
        Assert.True(unknownIcb.GetProperty("errors").TryGetProperty("organisation_code", out _));
        var nationalWithOrg = await Refused(new { name = "x", role = "national", organisation_code = "QWO" });
        Assert.True(nationalWithOrg.GetProperty("errors").TryGetProperty("organisation_code", out _));
        await app.RegisterProviderAsync("KEY02", "QWO");
        var unsuppressedProvider = await Refused(new { name = "x", role = "provider", organisation_code = "KEY02", unsuppressed = true });
        Assert.True(unsuppressedProvider.GetProperty("errors").TryGetProperty("unsuppressed", out _));
        await Expect.Problem(await admin.PostAsJsonAsync("/api/v1/keys", new { name = "x", role = "emperor" }),
            HttpStatusCode.BadRequest, "urn:ipsoutcomes:problem:bad-request");
    }

    [Fact]
    public async Task OnlyAdminsIssueListAndRevokeKeys()
    {
        using var app = new TestApp();
        var national = await app.IssueKeyAsync("national", unsuppressed: true);
        using var client = app.ClientWithKey(national);
        await Expect.Problem(await client.GetAsync("/api/v1/keys"), HttpStatusCode.Forbidden, "urn:ipsoutcomes:problem:forbidden");
        await Expect.Problem(await client.PostAsJsonAsync("/api/v1/keys", new { name = "x", role = "admin" }),
            HttpStatusCode.Forbidden, "urn:ipsoutcomes:problem:forbidden");
        await Expect.Problem(await client.DeleteAsync("/api/v1/keys/1"), HttpStatusCode.Forbidden, "urn:ipsoutcomes:problem:forbidden");
    }

    [Fact]
    public async Task TheKeysCommandIssuesAKeyThatTheServiceAccepts()
    {
        using var app = new TestApp();
        await app.RegisterProviderAsync("CLI01", "QWE");
        var output = new StringWriter();
        var services = new ServiceCollection().AddSingleton(new OperatorConsole(output));
        var exit = await KeysCommand.RunAsync(new CompositeProvider(services.BuildServiceProvider(), app.Services),
            ["keys", "create", "--role", "icb", "--org", "QWE", "--name", "QWE analysts", "--unsuppressed"]);
        Assert.Equal(0, exit);
        var secret = TestApp.SecretPattern().Match(output.ToString()).Value;
        using var client = app.ClientWithKey(secret);
        var current = await client.GetFromJsonAsync<JsonElement>("/api/v1/keys/current");
        Assert.Equal("QWE", current.GetProperty("organisation_code").GetString());
        Assert.True(current.GetProperty("unsuppressed").GetBoolean());

        Assert.Equal(1, await KeysCommand.RunAsync(new CompositeProvider(services.BuildServiceProvider(), app.Services),
            ["keys", "create", "--role", "icb", "--org", "NOPE", "--name", "x"]));
        Assert.Equal(2, await KeysCommand.RunAsync(new CompositeProvider(services.BuildServiceProvider(), app.Services), ["keys", "delete"]));
    }

    /// <summary>The service's own services, with the console swapped for one the test reads.</summary>
    private sealed class CompositeProvider(IServiceProvider first, IServiceProvider second) : IServiceProvider
    {
        public object? GetService(Type serviceType) => first.GetService(serviceType) ?? second.GetService(serviceType);
    }
}
