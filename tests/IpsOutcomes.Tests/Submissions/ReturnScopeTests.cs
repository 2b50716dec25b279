using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IpsOutcomes.Tests.Returns;
using static IpsOutcomes.Tests.Returns.ReturnKit;

namespace IpsOutcomes.Tests.Submissions;

public class ReturnScopeTests
{
    [Fact]
    public async Task KeysUploadAndReadOnlyWithinTheirScope()
    {
        using var app = new TestApp();
        await app.RegisterProviderAsync("SCA01", "QWO");
        await app.RegisterProviderAsync("SCB01", "QWO");
        await app.RegisterProviderAsync("SCC01", "QF7");
        await app.RegisterProviderAsync("SCOLD", "QWO", activeFrom: "2020-04-01", activeTo: "2024-03-31");
        using var providerA = app.ClientWithKey(await app.IssueKeyAsync("provider", "SCA01"));
        using var providerB = app.ClientWithKey(await app.IssueKeyAsync("provider", "SCB01"));
        using var westYorkshire = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO"));
        using var southYorkshire = app.ClientWithKey(await app.IssueKeyAsync("icb", "QF7"));
        using var national = app.ClientWithKey(await app.IssueKeyAsync("national"));
        using var old = app.ClientWithKey(await app.IssueKeyAsync("provider", "SCOLD"));
        var csv = File(Row("R1", ("gender", "7")));

        // Uploading: only the provider's own key (or an admin).
        foreach (var client in new[] { providerB, westYorkshire, national })
            await Expect.Problem(await UploadAsync(client, "SCA01", "2025-03", csv), HttpStatusCode.Forbidden, "urn:ipsoutcomes:problem:forbidden");
        await Expect.Problem(await UploadAsync(providerA, "NOSUCH", "2025-03", csv), HttpStatusCode.NotFound, "urn:ipsoutcomes:problem:not-found");
        await Expect.Problem(await UploadAsync(old, "SCOLD", "2025-03", csv), HttpStatusCode.Conflict, "urn:ipsoutcomes:problem:provider-inactive");

        var submission = await SubmitAsync(providerA, "SCA01", "2025-03", csv);
        var id = submission.GetProperty("id").GetInt64();

        // Reading: the provider itself, its ICB (status, and findings without row values), national; nobody else.
        await Expect.Status(await westYorkshire.GetAsync($"/api/v1/submissions/{id}"), HttpStatusCode.OK);
        await Expect.Status(await national.GetAsync($"/api/v1/submissions/{id}"), HttpStatusCode.OK);
        foreach (var outsider in new[] { providerB, southYorkshire })
        {
            await Expect.Problem(await outsider.GetAsync($"/api/v1/submissions/{id}"), HttpStatusCode.NotFound, "urn:ipsoutcomes:problem:not-found");
            await Expect.Problem(await outsider.GetAsync($"/api/v1/submissions/{id}/findings"), HttpStatusCode.NotFound, "urn:ipsoutcomes:problem:not-found");
            Assert.Empty((await outsider.GetFromJsonAsync<JsonElement>("/api/v1/submissions")).GetProperty("items").EnumerateArray());
        }
        Assert.Empty((await providerB.GetFromJsonAsync<JsonElement>("/api/v1/submissions?provider=SCA01")).GetProperty("items").EnumerateArray());
        Assert.Single((await westYorkshire.GetFromJsonAsync<JsonElement>("/api/v1/submissions")).GetProperty("items").EnumerateArray());

        var own = (await FindingsAsync(providerA, id)).Single();
        Assert.Equal("R1", own.GetProperty("referral_id").GetString());
        Assert.Equal("7", own.GetProperty("value").GetString());
        // The ICB without the permission: how often each rule failed, as published (1 is fewer than 5), no line, no value.
        var icbView = (await westYorkshire.GetFromJsonAsync<JsonElement>($"/api/v1/submissions/{id}/findings")).GetProperty("rules").EnumerateArray().Single();
        Assert.Equal("R005", icbView.GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, icbView.GetProperty("count").ValueKind);
        Assert.False(icbView.TryGetProperty("line", out _));
        Assert.DoesNotContain("'7'", icbView.GetProperty("rule").GetString());
        Assert.DoesNotContain(",R1,", await westYorkshire.GetStringAsync($"/api/v1/submissions/{id}/findings?format=csv"));
    }
}
