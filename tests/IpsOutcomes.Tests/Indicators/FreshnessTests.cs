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
