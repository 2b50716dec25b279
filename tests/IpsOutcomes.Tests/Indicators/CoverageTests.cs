using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IpsOutcomes.Tests.Returns;
using static IpsOutcomes.Tests.Returns.ReturnKit;

namespace IpsOutcomes.Tests.Indicators;

/// <summary>The coverage a BI tool reads before an incremental refresh: scoped, dated by the data, and versioned.</summary>
public class CoverageTests
{
    [Fact]
    public async Task CoverageSaysWhichOrganisationsAndMonthsHoldDataForThisKey()
    {
        using var app = new TestApp();
        var (provider, client) = await ProviderAsync(app);
        await SubmitAsync(client, provider, "2025-03", File(Row("R1", ("referral_date", "2024-11-20")), Row("R2", ("referral_date", "2025-02-03"))));

        var own = await client.GetFromJsonAsync<JsonElement>("/api/v1/coverage");
        var organisations = own.GetProperty("organisations").EnumerateArray().ToList();
        var mine = Assert.Single(organisations);
        Assert.Equal(provider, mine.GetProperty("code").GetString());
        Assert.Equal("2024-11", mine.GetProperty("first_month").GetString());
        Assert.Equal("2025-03", mine.GetProperty("last_month").GetString());
        Assert.Contains("employment_rate", own.GetProperty("indicators").EnumerateArray().Select(i => i.GetString()));

        using var national = app.ClientWithKey(await app.IssueKeyAsync("national"));
        var all = await national.GetAsync("/api/v1/coverage");
        var body = await all.Content.ReadFromJsonAsync<JsonElement>();
        var england = body.GetProperty("organisations").EnumerateArray().First();
        Assert.Equal(("england", "2024-11"), (england.GetProperty("code").GetString(), england.GetProperty("first_month").GetString()));
        Assert.Equal(42 + 2, body.GetProperty("organisations").GetArrayLength()); // England, 42 ICBs, one provider

        // Nothing new: 304. A new return moves the version.
        using var again = new HttpRequestMessage(HttpMethod.Get, "/api/v1/coverage");
        again.Headers.IfNoneMatch.Add(all.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await national.SendAsync(again)).StatusCode);
        await SubmitAsync(client, provider, "2025-04", File(Row("R1", ("referral_date", "2024-11-20"))));
        var moved = await national.GetFromJsonAsync<JsonElement>("/api/v1/coverage");
        Assert.True(moved.GetProperty("data_version").GetInt64() > body.GetProperty("data_version").GetInt64());
    }
}
