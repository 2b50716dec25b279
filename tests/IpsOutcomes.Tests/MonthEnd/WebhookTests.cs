using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using static IpsOutcomes.Tests.Returns.ReturnKit;

namespace IpsOutcomes.Tests.MonthEnd;

public class WebhookTests
{
    // The receivers here listen on loopback, which the service refuses by default (see WebhookEgress).
    private static TestApp App(bool allowPrivateAddresses = true) => new(settings: new()
    {
        ["Webhooks:RetryDelaysSeconds"] = "1,1,1",
        ["Jobs:SchedulePollingSeconds"] = "1",
        ["Webhooks:AllowPrivateAddresses"] = allowPrivateAddresses ? "true" : "false",
    });

    private static async Task<JsonElement[]> WaitForDeliveries(HttpClient client, long webhook, Func<JsonElement[], bool> done)
    {
        return await Eventually.UntilAsync(async () => (await client.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{webhook}/deliveries")).EnumerateArray().ToArray(),
            done, "the deliveries to settle", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task AnAcceptedReturnIsPostedSignedAndRetriedAfterAFailingReceiver()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.FailFirst = 1;
        using var app = App();
        var (provider, client) = await ProviderAsync(app);
        using var icb = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO"));
        var registered = await icb.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url });
        await Expect.Status(registered, HttpStatusCode.Created);
        var body = await registered.Content.ReadFromJsonAsync<JsonElement>();
        var secret = body.GetProperty("signing_secret").GetString()!;
        var webhook = body.GetProperty("webhook").GetProperty("id").GetInt64();
        Assert.DoesNotContain(secret, await icb.GetStringAsync("/api/v1/webhooks"));

        await SubmitAsync(client, provider, "2025-03", File(Row("SECRET-REF-1")));
        var deliveries = await WaitForDeliveries(icb, webhook, d => d.Length == 1 && d[0].GetProperty("status").GetString() != "pending");
        Assert.Equal("delivered", deliveries[0].GetProperty("status").GetString());
        Assert.Equal(2, deliveries[0].GetProperty("attempts").GetInt32());   // a 500 first, then accepted
        Assert.Equal(2, receiver.Received.Count);

        var (payload, headers) = receiver.Received.Last();
        Assert.Equal("return.accepted", headers["X-IpsOutcomes-Event"]);
        var signature = headers["X-IpsOutcomes-Signature"];
        var timestamp = signature.Split(',')[0]["t=".Length..];
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{payload}")));
        Assert.Equal($"t={timestamp},v1={expected}", signature);
        var json = JsonDocument.Parse(payload).RootElement;
        Assert.Equal(provider, json.GetProperty("provider_code").GetString());
        Assert.Equal("accepted", json.GetProperty("status").GetString());
        Assert.DoesNotContain("SECRET-REF-1", payload);                        // events carry no row data
    }

    [Fact]
    public async Task ASlowReceiverNeverHoldsUpTheUploadAndADeadOneEndsFailedAndVisible()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Hold = new SemaphoreSlim(0);
        using var app = App();
        var (provider, client) = await ProviderAsync(app);
        using var icb = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO"));
        var slow = (await (await icb.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("webhook").GetProperty("id").GetInt64();
        var dead = (await (await icb.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://127.0.0.1:9/nobody-listens" })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("webhook").GetProperty("id").GetInt64();

        // The receiver is holding its answer back, and the return is accepted all the same.
        var submission = await SubmitAsync(client, provider, "2025-03", File(Row("R1", ("gender", "7"))));
        Assert.Equal("rejected", submission.GetProperty("status").GetString());
        Assert.Empty(receiver.Received);
        receiver.Hold.Release(10);
        var delivered = await WaitForDeliveries(icb, slow, d => d.Length == 1 && d[0].GetProperty("status").GetString() == "delivered");
        Assert.Equal("return.rejected", delivered[0].GetProperty("event_type").GetString());

        var failed = await WaitForDeliveries(icb, dead, d => d.Length == 1 && d[0].GetProperty("status").GetString() == "failed");
        Assert.Equal(4, failed[0].GetProperty("attempts").GetInt32());          // the first try and three retries
        Assert.Contains("could not be reached", failed[0].GetProperty("last_error").GetString());
        using var other = app.ClientWithKey(await app.IssueKeyAsync("icb", "QF7"));
        await Expect.Problem(await other.GetAsync($"/api/v1/webhooks/{dead}/deliveries"), HttpStatusCode.NotFound, "urn:ipsoutcomes:problem:not-found");
        await Expect.Problem(await other.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://127.0.0.1:9/x", icb_code = "QWO" }), HttpStatusCode.Forbidden,
            "urn:ipsoutcomes:problem:forbidden");
    }
    [Fact]
    public async Task AReceiverOnTheServicesOwnNetworkIsNeverCalled()
    {
        await using var receiver = await Receiver.StartAsync(); // on loopback
        using var app = App(allowPrivateAddresses: false);
        var (provider, client) = await ProviderAsync(app);
        using var icb = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO"));
        // A name passes registration (only numbers and localhost are judged then); where it leads is checked when dialling.
        var byName = $"https://{Dns.GetHostName()}:{new Uri(receiver.Url).Port}/hook";
        var registered = await icb.PostAsJsonAsync("/api/v1/webhooks", new { url = byName });
        await Expect.Status(registered, HttpStatusCode.Created);
        var webhook = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("webhook").GetProperty("id").GetInt64();

        await SubmitAsync(client, provider, "2025-03", File(Row("R1")));
        var deliveries = await WaitForDeliveries(icb, webhook, d => d.Length == 1 && d[0].GetProperty("status").GetString() == "failed");
        Assert.Contains("not a public address", deliveries[0].GetProperty("last_error").GetString());
        Assert.Empty(receiver.Received);
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("8.8.8.8", true)]
    [InlineData("51.140.1.1", true)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("2a00:1450:4009:81f::200e", true)]
    [InlineData("64:ff9b::a00:1", false)]                       // NAT64 of 10.0.0.1
    [InlineData("64:ff9b::7f00:1", false)]                      // NAT64 of 127.0.0.1
    [InlineData("64:ff9b:1::a9fe:a9fe", false)]                 // local-use NAT64 of 169.254.169.254
    [InlineData("64:ff9b::808:808", true)]                      // NAT64 of 8.8.8.8
    [InlineData("2002:a00:1::1", false)]                        // 6to4 of 10.0.0.1
    [InlineData("2002:c0a8:101::1", false)]                     // 6to4 of 192.168.1.1
    [InlineData("2002:808:808::1", true)]                       // 6to4 of 8.8.8.8
    [InlineData("::10.0.0.1", false)]                           // IPv4-compatible
    [InlineData("::127.0.0.1", false)]
    [InlineData("::ffff:169.254.169.254", false)]               // IPv4-mapped
    [InlineData("2001:0:4136:e378:8000:63bf:f5ff:fffe", false)] // Teredo, client 10.0.0.1 (inverted)
    [InlineData("2001:db8::1", false)]                          // documentation
    public void OnlyPublicAddressesArePublic(string address, bool isPublic) =>
        Assert.Equal(isPublic, IpsOutcomes.Webhooks.WebhookEgress.IsPublic(IPAddress.Parse(address)));
}
