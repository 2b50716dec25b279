using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hangfire;
using Hangfire.Storage;
using IpsOutcomes.MonthEnd;
using static IpsOutcomes.Tests.Returns.ReturnKit;

namespace IpsOutcomes.Tests.MonthEnd;

public class AuditAndRateLimitTests
{
    [Fact]
    public async Task EveryAuditedActionIsInTheLogAndOnlyAdminsReadIt()
    {
        using var app = new TestApp();
        var (provider, client) = await ProviderAsync(app);
        await SubmitAsync(client, provider, "2025-03", File(Row("R1")));
        using var icb = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO", unsuppressed: true, name: "auditor test"));
        await icb.PostAsync("/api/v1/reference/access-targets", new StringContent("icb_code,financial_year,target\nQWO,2024-25,100\n", Encoding.UTF8, "text/csv"));
        await icb.PostAsync("/api/v1/reference/populations", new StringContent("organisation_code,financial_year,group,count\nQWO,2024-25,white,100\n", Encoding.UTF8, "text/csv"));
        var webhook = await icb.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://example.org/hook" });
        var webhookId = (await webhook.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("webhook").GetProperty("id").GetInt64();
        await icb.DeleteAsync($"/api/v1/webhooks/{webhookId}");
        await icb.GetAsync("/api/v1/indicators?level=icb&code=QWO&month=2025-03&disclosure=none");
        using var admin = app.Admin();
        var current = await icb.GetFromJsonAsync<JsonElement>("/api/v1/keys/current");
        await admin.DeleteAsync($"/api/v1/keys/{current.GetProperty("id").GetInt64()}");

        var log = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?page_size=1000")).GetProperty("items").EnumerateArray().ToList();
        foreach (var action in new[] { "provider.registered", "key.issued", "return.uploaded", "reference.access_targets_loaded", "reference.populations_loaded",
                     "webhook.registered", "webhook.deleted", "indicators.exact_figures", "key.revoked" })
            Assert.Contains(log, e => e.GetProperty("action").GetString() == action);
        var exact = log.First(e => e.GetProperty("action").GetString() == "indicators.exact_figures");
        Assert.Equal("auditor test", exact.GetProperty("key_name").GetString());
        Assert.False(string.IsNullOrEmpty(exact.GetProperty("occurred_at").GetString()));
        var filtered = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?action=key.revoked")).GetProperty("items");
        Assert.Equal(1, filtered.GetArrayLength());

        using var national = app.ClientWithKey(await app.IssueKeyAsync("national"));
        await Expect.Problem(await national.GetAsync("/api/v1/audit"), HttpStatusCode.Forbidden, "urn:ipsoutcomes:problem:forbidden");
        await Expect.Problem(await admin.DeleteAsync("/api/v1/audit"), HttpStatusCode.MethodNotAllowed, "urn:ipsoutcomes:problem:method-not-allowed");
    }

    [Fact]
    public async Task EachKeyIsLimitedWithRetryAfterAndUploadsAreCountedApart()
    {
        using var app = new TestApp(settings: new() { ["RateLimits:ReadsPerMinute"] = "5", ["RateLimits:UploadsPerMinute"] = "2" });
        var (provider, client) = await ProviderAsync(app);
        for (var i = 0; i < 5; i++) await Expect.Status(await client.GetAsync("/api/v1/keys/current"), HttpStatusCode.OK);
        var limited = await client.GetAsync("/api/v1/keys/current");
        await Expect.Problem(limited, HttpStatusCode.TooManyRequests, "urn:ipsoutcomes:problem:too-many-requests");
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single()) > 0);

        // Uploads have their own allowance, and another key is not held back by this one's.
        await Expect.Status(await UploadAsync(client, provider, "2025-03", File(Row("R1"))), HttpStatusCode.Accepted);
        await Expect.Status(await UploadAsync(client, provider, "2025-03", File(Row("R2"))), HttpStatusCode.Accepted);
        await Expect.Problem(await UploadAsync(client, provider, "2025-03", File(Row("R3"))), HttpStatusCode.TooManyRequests, "urn:ipsoutcomes:problem:too-many-requests");
        using var other = app.ClientWithKey(await app.IssueKeyAsync("national"));
        await Expect.Status(await other.GetAsync("/api/v1/keys/current"), HttpStatusCode.OK);
    }
}
