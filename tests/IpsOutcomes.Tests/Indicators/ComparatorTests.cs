using System.Net.Http.Json;
using System.Text.Json;
using static IpsOutcomes.Tests.Returns.ReturnKit;

namespace IpsOutcomes.Tests.Indicators;

/// <summary>Comparators on served figures: two services of one ICB, one well above the ICB and the benchmark, one well below.</summary>
public class ComparatorTests
{
    private static string[] Referrals(string prefix, int count, int withJobs) => Enumerable.Range(1, count).Select(i => Row($"{prefix}{i}",
        ("referral_date", "2025-02-03"), ("first_contact_date", "2025-02-10"),
        ("job_1_start_date", i <= withJobs ? "2025-03-03" : ""), ("job_1_type", i <= withJobs ? "competitive" : ""))).ToArray();

    [Fact]
    public async Task AServiceWellAboveItsIcbIsBetterAndOneWellBelowIsWorse()
    {
        using var app = new TestApp();
        var (high, highClient) = await ProviderAsync(app);
        var (low, lowClient) = await ProviderAsync(app);
        await SubmitAsync(highClient, high, "2025-03", File(Referrals("H", 40, 36)));  // 90%, published as 35 of 40
        await SubmitAsync(lowClient, low, "2025-03", File(Referrals("L", 40, 6)));     // 15%; the ICB: 42 of 80, published as 40 of 80

        using var icb = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO"));
        var rows = await icb.GetFromJsonAsync<JsonElement>(
            "/api/v1/indicators?level=provider&within=QWO&period_type=rolling12&month=2025-03&indicators=employment_rate&compare=icb,benchmark");
        var outcomes = rows.EnumerateArray().ToDictionary(r => r.GetProperty("organisation_code").GetString()!,
            r => r.GetProperty("comparisons").EnumerateArray().ToDictionary(c => c.GetProperty("comparator").GetString()!));
        Assert.Equal(50, outcomes[high]["icb"].GetProperty("value").GetDouble());
        Assert.Equal("better", outcomes[high]["icb"].GetProperty("outcome").GetString());
        Assert.Equal("better", outcomes[high]["benchmark"].GetProperty("outcome").GetString());
        Assert.Equal("worse", outcomes[low]["icb"].GetProperty("outcome").GetString());
        Assert.Equal("worse", outcomes[low]["benchmark"].GetProperty("outcome").GetString());

        // Quartiles among every provider's published figure: 12.5% and 87.5% give Q1 31.25, median 50, Q3 68.75.
        var ranked = await icb.GetFromJsonAsync<JsonElement>(
            "/api/v1/indicators?level=provider&within=QWO&period_type=rolling12&month=2025-03&indicators=employment_rate&quartile=true");
        var quartiles = ranked.EnumerateArray().ToDictionary(r => r.GetProperty("organisation_code").GetString()!, r => r.GetProperty("quartile").GetInt32());
        Assert.Equal((4, 1), (quartiles[high], quartiles[low]));

        // The funnel around England (these two are all of England here): 87.5% and 12.5% of 40 are beyond the 99.8% limits.
        var funnel = await icb.GetFromJsonAsync<JsonElement>(
            "/api/v1/indicators/funnel?level=provider&within=QWO&period_type=rolling12&month=2025-03&indicators=employment_rate");
        var positions = funnel.GetProperty("points").EnumerateArray()
            .ToDictionary(p => p.GetProperty("code").GetString()!, p => p.GetProperty("position").GetString());
        Assert.Equal(("above_99_8", "below_99_8"), (positions[high], positions[low]));
    }

    [Fact]
    public async Task TheFunnelSpcAndSpineAreTidyInCsvAsInJson()
    {
        using var app = new TestApp();
        var (high, highClient) = await ProviderAsync(app);
        var (low, lowClient) = await ProviderAsync(app);
        await SubmitAsync(highClient, high, "2025-03", File(Referrals("H", 40, 36)));
        await SubmitAsync(lowClient, low, "2025-03", File(Referrals("L", 40, 6)));
        using var icb = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO"));

        const string funnel = "/api/v1/indicators/funnel?level=provider&within=QWO&period_type=rolling12&month=2025-03&indicators=employment_rate";
        var points = (await icb.GetFromJsonAsync<JsonElement>(funnel)).GetProperty("points").EnumerateArray().ToList();
        var funnelRows = await CsvAsync(icb, funnel + "&format=csv");
        Assert.Equal(points.Count, funnelRows.Count);
        foreach (var point in points)
        {
            var row = funnelRows.Single(r => r["code"] == point.GetProperty("code").GetString());
            Assert.Equal(point.GetProperty("position").GetString(), row["position"]);
            Assert.Equal(point.GetProperty("value").GetDouble(), double.Parse(row["value"], System.Globalization.CultureInfo.InvariantCulture));
            // The limits at the point's own denominator bracket the centre line.
            Assert.True(double.Parse(row["lower_998"],
                System.Globalization.CultureInfo.InvariantCulture) < double.Parse(row["comparator_value"],
                System.Globalization.CultureInfo.InvariantCulture));
        }

        var spc = $"/api/v1/indicators/spc?level=provider&code={high}&indicators=referrals&from=2024-04&to=2025-03";
        var months = (await highClient.GetFromJsonAsync<JsonElement>(spc)).GetProperty("series")[0].GetProperty("months").EnumerateArray().ToList();
        var spcRows = await CsvAsync(highClient, spc + "&format=csv");
        Assert.Equal(12, months.Count);
        Assert.Equal(months.Select(m => m.GetProperty("period").GetString()), spcRows.Select(r => r["period"]));
        Assert.Equal(months.Select(m => m.GetProperty("state").ValueKind == JsonValueKind.Null ? "" : m.GetProperty("state").GetString()),
            spcRows.Select(r => r["state"]));

        var spine = $"/api/v1/indicators/spine?level=provider&code={high}&month=2025-03";
        var entries = (await highClient.GetFromJsonAsync<JsonElement>(spine)).GetProperty("indicators").EnumerateArray().ToList();
        var spineRows = await CsvAsync(highClient, spine + "&format=csv");
        Assert.Equal(entries.Select(e => e.GetProperty("indicator").GetString()), spineRows.Select(r => r["indicator"]));
        var employment = spineRows.Single(r => r["indicator"] == "employment_rate");
        Assert.Equal(("QWO", "better"), (employment["icb_code"], employment["icb_outcome"]));

        // CSV and JSON are different answers to the same question: each has its own ETag.
        using var asJson = await highClient.GetAsync(spine);
        using var asCsv = await highClient.GetAsync(spine + "&format=csv");
        Assert.NotEqual(asJson.Headers.ETag, asCsv.Headers.ETag);
        Assert.Equal("text/csv", asCsv.Content.Headers.ContentType!.MediaType);
    }

    private static async Task<List<Dictionary<string, string>>> CsvAsync(HttpClient client, string url)
    {
        using var reader = new StringReader(await client.GetStringAsync(url));
        using var csv = new CsvHelper.CsvReader(reader, System.Globalization.CultureInfo.InvariantCulture);
        await csv.ReadAsync();
        csv.ReadHeader();
        var rows = new List<Dictionary<string, string>>();
        while (await csv.ReadAsync()) rows.Add(csv.HeaderRecord!.ToDictionary(h => h, h => csv.GetField(h)!));
        return rows;
    }
}
