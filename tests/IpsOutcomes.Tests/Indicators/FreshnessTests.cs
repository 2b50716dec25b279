using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IpsOutcomes.Tests.Returns;
using static IpsOutcomes.Tests.Returns.ReturnKit;

namespace IpsOutcomes.Tests.Indicators;

public class FreshnessTests
{
    [Fact]
    public async Task ANewReturnIsVisibleInTheNextRequestAndChangesTheETag()
    {
        using var app = new TestApp();
        var (provider, client) = await ProviderAsync(app);
        using var national = app.ClientWithKey(await app.IssueKeyAsync("national", unsuppressed: true));
        var query = $"/api/v1/indicators?level=provider&code={provider}&period_type=month&month=2025-03&indicators=accessed,referrals&disclosure=none";

        await SubmitAsync(client, provider, "2025-03", File(Row("R1"), Row("R2")));
        var before = await national.GetAsync(query);
        var accessed = (await before.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().First().GetProperty("value").GetDouble();
        Assert.Equal(2, accessed);

        // A resubmission restating the month: the next request sees it, under a new version and tag.
        await SubmitAsync(client, provider, "2025-03", File(Row("R1"), Row("R2"), Row("R3")));
        using var conditional = new HttpRequestMessage(HttpMethod.Get, query);
        conditional.Headers.IfNoneMatch.Add(before.Headers.ETag!);
        var after = await national.SendAsync(conditional);
        await Expect.Status(after, HttpStatusCode.OK);
        Assert.NotEqual(before.Headers.ETag, after.Headers.ETag);
        var rows = (await after.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToArray();
        Assert.Equal(3, rows.First(r => r.GetProperty("indicator_id").GetString() == "accessed").GetProperty("value").GetDouble());
        Assert.True(rows[0].GetProperty("data_version").GetInt64() > 1);
    }

    /// <summary>Issue 27: an accepted return changes its provider's, its ICB's, its region's and England's answers, and no other ICB's.
    /// </summary>
    [Fact]
    public async Task AnotherIcbsReturnLeavesAnIcbsAnswersAndTheirTagsAsTheyWere()
    {
        using var app = new TestApp();
        var (leeds, leedsClient) = await ProviderAsync(app, "QWO");
        var (elsewhere, elsewhereClient) = await ProviderAsync(app, "QOP");
        await SubmitAsync(leedsClient, leeds, "2025-03", File(Row("R1"), Row("R2"), Row("R3")));
        await SubmitAsync(elsewhereClient, elsewhere, "2025-03", File(Row("R1"), Row("R2")));
        using var national = app.ClientWithKey(await app.IssueKeyAsync("national"));
        string[] westYorkshire =
        [
            "/api/v1/indicators?level=icb&code=QWO&period_type=month&from=2024-04&to=2025-03",
            "/api/v1/indicators?level=provider&within=QWO&period_type=rolling12&month=2025-03&compare=icb&trend=true&format=csv",
            "/api/v1/indicators/spc?level=icb&code=QWO&indicators=accessed&from=2024-04&to=2025-03",
            "/api/v1/reports/equality?level=icb&code=QWO&period_type=rolling12&month=2025-03",
            "/api/v1/charts/trend.svg?level=icb&code=QWO&period_type=month&from=2024-04&to=2025-03&indicators=accessed",
        ];
        string[] movesWithEveryReturn =
        [
            "/api/v1/indicators?level=england&period_type=month&month=2025-04",
            "/api/v1/indicators?level=icb&code=QWO&period_type=month&month=2025-03&compare=england",
        ];
        var before = new Dictionary<string, (string? Tag, byte[] Body)>();
        foreach (var path in westYorkshire.Concat(movesWithEveryReturn))
        {
            var answer = await national.GetAsync(path);
            await Expect.Status(answer, HttpStatusCode.OK);
            before[path] = (answer.Headers.ETag?.Tag, await answer.Content.ReadAsByteArrayAsync());
        }
        var coverage = Versions(await national.GetFromJsonAsync<JsonElement>("/api/v1/coverage"));

        // Another ICB's service sends April: West Yorkshire's answers are the same bytes under the same tags, and a copy is current.
        var april = await SubmitAsync(elsewhereClient, elsewhere, "2025-04", File(Row("R1"), Row("R2"), AprilRow("R9")));
        Assert.Equal("accepted", april.GetProperty("status").GetString());
        foreach (var path in westYorkshire)
        {
            using var conditional = new HttpRequestMessage(HttpMethod.Get, path);
            conditional.Headers.TryAddWithoutValidation("If-None-Match", before[path].Tag);
            Assert.Equal(HttpStatusCode.NotModified, (await national.SendAsync(conditional)).StatusCode);
            var again = await national.GetAsync(path);
            Assert.Equal(before[path].Tag, again.Headers.ETag?.Tag);
            Assert.Equal(before[path].Body, await again.Content.ReadAsByteArrayAsync());
        }
        foreach (var path in movesWithEveryReturn)
            Assert.True(before[path].Tag != (await national.GetAsync(path)).Headers.ETag?.Tag, path);
        var moved = Versions(await national.GetFromJsonAsync<JsonElement>("/api/v1/coverage"));
        Assert.Equal(coverage["QWO"], moved["QWO"]);
        Assert.Equal(coverage[leeds], moved[leeds]);
        Assert.True(moved["QOP"] > coverage["QOP"] && moved[elsewhere] == moved["QOP"] && moved["england"] == moved["QOP"]);

        // West Yorkshire's own service sends April: its answers move.
        var leedsApril = await SubmitAsync(leedsClient, leeds, "2025-04", File(Row("R1"), Row("R2"), Row("R3"), AprilRow("R4")));
        Assert.Equal("accepted", leedsApril.GetProperty("status").GetString());
        foreach (var path in westYorkshire)
            Assert.NotEqual(before[path].Tag, (await national.GetAsync(path)).Headers.ETag?.Tag);
        Assert.True(Versions(await national.GetFromJsonAsync<JsonElement>("/api/v1/coverage"))["QWO"] > moved["QOP"]);

        static string AprilRow(string id) => Row(id, ("referral_date", "2025-04-02"), ("first_contact_date", "2025-04-09"));
        static Dictionary<string, long> Versions(JsonElement coverage) => coverage.GetProperty("organisations").EnumerateArray()
            .ToDictionary(o => o.GetProperty("code").GetString()!, o => o.GetProperty("data_version").GetInt64());
    }

    [Fact]
    public async Task TheDashboardSummaryShowsTheLatestMonthAgainstTheBenchmark()
    {
        using var app = new TestApp();
        var (provider, client) = await ProviderAsync(app);
        var rows = Enumerable.Range(1, 12).Select(i => Row($"R{i}", ("referral_date", "2025-02-03"), ("first_contact_date", "2025-02-10"),
            ("job_1_start_date", i <= 6 ? "2025-03-10" : ""), ("job_1_type", i <= 6 ? "competitive" : ""))).ToArray();
        await SubmitAsync(client, provider, "2025-03", File(rows));

        var summary = await client.GetFromJsonAsync<JsonElement>($"/api/v1/indicators/summary?level=provider&code={provider}");
        Assert.Equal("2025-03", summary.GetProperty("latest_month").GetString());
        var employment = summary.GetProperty("employment_rate_rolling12");
        Assert.Equal(50, employment.GetProperty("value").GetDouble());     // 6 of 12
        Assert.Equal("similar", employment.GetProperty("comparison").GetString());
        Assert.Equal(12, summary.GetProperty("accessed_rolling12").GetProperty("value").GetDouble()); // its own figures: exact
        Assert.Equal(100, summary.GetProperty("ethnicity_recorded_rolling12").GetProperty("value").GetDouble());
        Assert.Equal("accepted", summary.GetProperty("latest_return").GetProperty("status").GetString());

        using var icb = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO"));
        var seenByIcb = await icb.GetFromJsonAsync<JsonElement>($"/api/v1/indicators/summary?level=provider&code={provider}");
        Assert.Equal(10, seenByIcb.GetProperty("accessed_rolling12").GetProperty("value").GetDouble()); // anyone else: 12 rounds to 10
        var icbSummary = await icb.GetFromJsonAsync<JsonElement>("/api/v1/indicators/summary?level=icb&code=QWO");
        Assert.Equal(1, icbSummary.GetProperty("latest_return").GetProperty("providers_accepted").GetInt32());
        using var other = app.ClientWithKey(await app.IssueKeyAsync("icb", "QF7"));
        await Expect.Problem(await other.GetAsync("/api/v1/indicators/summary?level=icb&code=QWO"), HttpStatusCode.Forbidden, "urn:ipsoutcomes:problem:forbidden");
    }
}
