using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IpsOutcomes.Identity;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Tests.Returns;

namespace IpsOutcomes.Tests.Identity;

/// <summary>Who may invite and manage whom (identity.md), through the API with keys, as the Users pages do for people.</summary>
public sealed class UsersApiTests
{
    [Fact]
    public async Task AnIcbInvitesItsOwnProvidersStaffAndNobodyElse()
    {
        using var app = new TestApp();
        await app.RegisterProviderAsync("RXG01", "QWO");
        await app.RegisterProviderAsync("RXG02", "QOP");
        using var icb = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO", name: "West Yorkshire IPS lead"));

        var invited = await icb.PostAsJsonAsync("/api/v1/users",
            new { email = "Sam.Jones@example.nhs.uk", name = "Sam Jones", role = "provider", organisation_code = "RXG01", team_lead = true });
        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        var user = await invited.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("sam.jones@example.nhs.uk", "invited", "West Yorkshire IPS lead"),
            (user.GetProperty("email").GetString(), user.GetProperty("status").GetString(), user.GetProperty("invited_by").GetString()));

        await Expect.Problem(await icb.PostAsJsonAsync("/api/v1/users",
            new { email = "other@example.nhs.uk", name = "Other", role = "provider", organisation_code = "RXG02" }), HttpStatusCode.Forbidden,
            "urn:ipsoutcomes:problem:forbidden");
        await Expect.Problem(await icb.PostAsJsonAsync("/api/v1/users",
            new { email = "analyst@example.nhs.uk", name = "Analyst", role = "icb", organisation_code = "QWO" }), HttpStatusCode.Forbidden,
            "urn:ipsoutcomes:problem:forbidden");
        var invalid = await icb.PostAsJsonAsync("/api/v1/users",
            new { email = "not an address", name = "", role = "provider", organisation_code = "RXG01", unsuppressed = true });
        var errors = (await Expect.Problem(invalid, HttpStatusCode.BadRequest, "urn:ipsoutcomes:problem:validation")).GetProperty("errors");
        Assert.Equal(["email", "name", "unsuppressed"], errors.EnumerateObject().Select(e => e.Name).Order());
        var again = await icb.PostAsJsonAsync("/api/v1/users",
            new { email = "sam.jones@example.nhs.uk", name = "Sam again", role = "provider", organisation_code = "RXG01" });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);

        // Another ICB neither sees nor manages West Yorkshire's users.
        using var other = app.ClientWithKey(await app.IssueKeyAsync("icb", "QOP"));
        Assert.Empty(await other.GetFromJsonAsync<JsonElement[]>("/api/v1/users") ?? []);
        var id = user.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/v1/users/{id}")).StatusCode);
        using var provider = app.ClientWithKey(await app.IssueKeyAsync("provider", "RXG01"));
        await Expect.Problem(await provider.PostAsJsonAsync("/api/v1/users",
            new { email = "x@example.nhs.uk", name = "X", role = "provider", organisation_code = "RXG01" }), HttpStatusCode.Forbidden,
            "urn:ipsoutcomes:problem:forbidden");

        Assert.Equal(HttpStatusCode.NoContent, (await icb.DeleteAsync($"/api/v1/users/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await icb.GetAsync($"/api/v1/users/{id}")).StatusCode);
        foreach (var action in new[] { "user.invited", "user.removed" })
            Assert.Equal(1, ReturnKit.Scalar(app, $"SELECT COUNT(*) FROM audit_log WHERE action = '{action}' AND key_name = 'West Yorkshire IPS lead'"));
    }

    [Theory]
    [InlineData("icb:QWO", Role.Icb, "QWO", false, false, false)]
    [InlineData("icb:qwo+unsuppressed+sign_off", Role.Icb, "QWO", true, true, false)]
    [InlineData("provider:RXG01+team_lead", Role.Provider, "RXG01", false, false, true)]
    [InlineData("national", Role.National, null, false, false, false)]
    [InlineData("admin", Role.Admin, null, false, false, false)]
    public void AGroupsRoleReadsAsConfigured(string text, Role role, string? organisation, bool unsuppressed, bool signOff,
        bool teamLead) =>
        Assert.Equal(new Grant(role, organisation, unsuppressed, signOff, teamLead), UserAccess.ParseGroupRole(text));

    [Theory]
    [InlineData("icb")]
    [InlineData("national:QWO")]
    [InlineData("icb:QWO+everything")]
    [InlineData("owner")]
    [InlineData("")]
    public void AGroupsRoleThatDoesNotReadIsNone(string text) => Assert.Null(UserAccess.ParseGroupRole(text));
}
