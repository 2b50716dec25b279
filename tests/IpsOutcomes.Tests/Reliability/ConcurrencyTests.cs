using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static IpsOutcomes.Tests.Returns.ReturnKit;

namespace IpsOutcomes.Tests.Reliability;

public class ConcurrencyTests
{
    private static string MarchFile(string provider, int version) => File(Enumerable.Range(1, 40).Select(i => Row($"{provider}-R{i}",
        ("age_at_referral", (20 + version + i % 7).ToString()), ("first_contact_date", i % 3 == 0 ? "" : "2025-03-10"),
        ("job_1_start_date", i % 4 == version ? "2025-03-20" : ""), ("job_1_type", i % 4 == version ? "competitive" : ""))).ToArray());

    private static string FebruaryFile(string provider) => File(Enumerable.Range(1, 40).Select(i => Row($"{provider}-R{i}",
        ("referral_date", "2025-02-03"), ("first_contact_date", "2025-02-10"))).ToArray());

    private static async Task<string> Indicators(HttpClient national, string provider)
    {
        var rows = await national.GetFromJsonAsync<JsonElement>($"/api/v1/indicators?level=provider&code={provider}&period_type=rolling12&month=2025-03&disclosure=none");
        // Everything but the data version, which counts how the data got there.
        return string.Join("\n", rows.EnumerateArray().Select(r => $"{r.GetProperty("indicator_id")}:{r.GetProperty("numerator")}/{r.GetProperty("denominator")}={r.GetProperty("value")}"));
    }

    /// <summary>
    /// 20 uploads at once across 5 providers: for each, two different March files, one of them twice, and February.
    /// Afterwards every provider-month has one current return, no referral is duplicated, and the indicators are
    /// those of a clean sequential load of the files that ended current.
    /// </summary>
    [Fact]
    public async Task TwentyConcurrentUploadsEndAsACleanSequentialLoadWould()
    {
        using var app = new TestApp(settings: new() { ["RateLimits:UploadsPerMinute"] = "0" });
        var providers = Enumerable.Range(1, 5).Select(i => $"CON{i:D2}").ToArray();
        var clients = new Dictionary<string, HttpClient>();
        foreach (var provider in providers)
        {
            await app.RegisterProviderAsync(provider, "QWO");
            clients[provider] = app.ClientWithKey(await app.IssueKeyAsync("provider", provider));
        }
        var uploads = providers.SelectMany(p
            => new[] { (p, "2025-03", MarchFile(p, 1)), (p, "2025-03", MarchFile(p, 2)), (p, "2025-03", MarchFile(p, 1)),
            (p, "2025-02", FebruaryFile(p)) })
            .OrderBy(_ => Random.Shared.Next()).ToList();
        var responses = await Task.WhenAll(uploads.Select(u => UploadAsync(clients[u.Item1], u.Item1, u.Item2, u.Item3)));
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, r.StatusCode.ToString()));
        foreach (var (response, upload) in responses.Zip(uploads))
            await WaitForDecisionAsync(clients[upload.Item1], (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id")
                .GetInt64());

        using var national = app.ClientWithKey(await app.IssueKeyAsync("national", unsuppressed: true));
        using var clean = new TestApp();
        using var cleanNational = clean.ClientWithKey(await clean.IssueKeyAsync("national", unsuppressed: true));
        foreach (var provider in providers)
        {
            Assert.Equal(1, Scalar(app, "SELECT COUNT(*) FROM submissions WHERE provider_code = @p AND period = '2025-03' AND status = 'accepted'", ("@p", provider)));
            Assert.Equal(1, Scalar(app, "SELECT COUNT(*) FROM submissions WHERE provider_code = @p AND period = '2025-02' AND status = 'accepted'", ("@p", provider)));
            Assert.Equal(40, Referrals(app, provider));
            // Which March file ended current depends on arrival order: load the same, in order, into a clean service.
            var currentSha = (await national.GetFromJsonAsync<JsonElement>($"/api/v1/submissions?provider={provider}&period=2025-03&status=accepted"))
                .GetProperty("items")[0].GetProperty("file_sha256").GetString();
            var march = new[] { MarchFile(provider, 1), MarchFile(provider, 2) }.Single(f =>
                Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(f)))
                == currentSha);
            await clean.RegisterProviderAsync(provider, "QWO");
            using var cleanClient = clean.ClientWithKey(await clean.IssueKeyAsync("provider", provider));
            await SubmitAsync(cleanClient, provider, "2025-02", FebruaryFile(provider));
            await SubmitAsync(cleanClient, provider, "2025-03", march);
            Assert.Equal(await Indicators(cleanNational, provider), await Indicators(national, provider));
        }
    }

    [Fact]
    public async Task ReadsDuringALargeIngestAnswerFromOneConsistentVersion()
    {
        using var app = new TestApp(settings: new() { ["RateLimits:ReadsPerMinute"] = "0" }); // the loop reads as fast as it can
        var (provider, client) = await ProviderAsync(app);
        using var national = app.ClientWithKey(await app.IssueKeyAsync("national", unsuppressed: true));
        await SubmitAsync(client, provider, "2025-03", File(Enumerable.Range(1, 100).Select(i => Row($"R{i}")).ToArray()));
        var query = $"/api/v1/indicators?level=provider&code={provider}&period_type=month&month=2025-03&indicators=referrals&disclosure=none";
        var before = (await national.GetFromJsonAsync<JsonElement>(query))[0];

        var big = await UploadAsync(client, provider, "2025-03", File(Enumerable.Range(1, 30_000).Select(i => Row($"R{i}")).ToArray()));
        var id = (await big.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var seen = new HashSet<(long Version, double Referrals)>();
        while ((await national.GetFromJsonAsync<JsonElement>($"/api/v1/submissions/{id}")).GetProperty("status").GetString() is "queued" or "validating")
        {
            var row = (await national.GetFromJsonAsync<JsonElement>(query))[0];
            seen.Add((row.GetProperty("data_version").GetInt64(), row.GetProperty("value").GetDouble()));
        }
        var after = (await national.GetFromJsonAsync<JsonElement>(query))[0];
        seen.Add((after.GetProperty("data_version").GetInt64(), after.GetProperty("value").GetDouble()));
        Assert.Equal(30_000, after.GetProperty("value").GetDouble());
        // Every answer was the state before or the state after: never half a return.
        Assert.All(seen, s => Assert.True(
            (s.Version == before.GetProperty("data_version").GetInt64() && s.Referrals == 100)
                || (s.Version == after.GetProperty("data_version").GetInt64() && s.Referrals == 30_000),
            $"version {s.Version} with {s.Referrals} referrals"));
    }
}
