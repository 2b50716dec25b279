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
        var positions = funnel.GetProperty("points").EnumerateArray().ToDictionary(p => p.GetProperty("code").GetString()!, p => p.GetProperty("position").GetString());
        Assert.Equal(("above_99_8", "below_99_8"), (positions[high], positions[low]));
    }
}
