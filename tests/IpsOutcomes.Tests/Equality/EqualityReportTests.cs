using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IpsOutcomes.Tests.Returns;

namespace IpsOutcomes.Tests.Equality;

/// <summary>
/// West Yorkshire (QWO), financial year 2024-25. Population: white 600, asian 200, black 100, mixed 50, other 50.
/// Accessing IPS in the year to March 2025: white 120, asian 10, black 40, mixed 16, other 14 (plus 10 not stated,
/// 15 not known), every group into work at the same rate (half). Asian people are clearly under-represented and
/// Black people over-represented; employment does not differ.
/// </summary>
public class EqualityReportTests(EqualityReportTests.Dataset data) : IClassFixture<EqualityReportTests.Dataset>
{
    public sealed class Dataset : IAsyncLifetime
    {
        public TestApp App { get; } = new();
        public HttpClient Analyst { get; private set; } = null!;
        public HttpClient SafeAnalyst { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await App.RegisterProviderAsync("EQ001", "QWO");
            using var provider = App.ClientWithKey(await App.IssueKeyAsync("provider", "EQ001"));
            var rows = new List<string>();
            var n = 0;
            foreach (var (category, count) in new[] { ("A", 120), ("H", 10), ("N", 40), ("D", 16), ("S", 14), ("Z", 10), ("99", 15) })
                for (var i = 0; i < count; i++, n++)
                    rows.Add(ReturnKit.Row($"E{n}", ("referral_date", "2024-06-03"), ("first_contact_date", "2024-06-10"), ("ethnic_category", category),
                        ("job_1_start_date", i % 2 == 0 ? "2024-09-02" : ""), ("job_1_type", i % 2 == 0 ? "competitive" : "")));
            Assert.Equal("accepted", (await ReturnKit.SubmitAsync(provider, "EQ001", "2025-03", ReturnKit.File([.. rows]))).GetProperty("status").GetString());

            var icbKey = await App.IssueKeyAsync("icb", "QWO", unsuppressed: true, name: "QWO analysts");
            Analyst = App.ClientWithKey(icbKey);
            SafeAnalyst = App.ClientWithKey(await App.IssueKeyAsync("icb", "QWO"));
            var load = await Analyst.PostAsync("/api/v1/reference/populations", new StringContent(
                "organisation_code,financial_year,group,count\nQWO,2024-25,white,600\nQWO,2024-25,asian,200\nQWO,2024-25,black,100\nQWO,2024-25,mixed,50\nQWO,2024-25,other,50\n",
                Encoding.UTF8, "text/csv"));
            await Expect.Status(load, HttpStatusCode.OK);
        }

        public Task DisposeAsync()
        {
            App.Dispose();
            return Task.CompletedTask;
        }
    }

    private const string Year = "level=icb&code=QWO&period_type=rolling12&month=2025-03";

    private static JsonElement Group(JsonElement section, string group) =>
        section.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("group").GetString() == group);

    [Fact]
    public async Task AClearlyUnderRepresentedGroupIsFlaggedAndEqualRatesAreNot()
    {
        var report = await data.Analyst.GetFromJsonAsync<JsonElement>($"/api/v1/reports/equality?{Year}&disclosure=none");
        var period = report.GetProperty("periods").EnumerateArray().Single();
        Assert.Equal("2024-25", period.GetProperty("financial_year").GetString());
        var access = period.GetProperty("access");

        var asian = Group(access, "asian");
        Assert.Equal(10, asian.GetProperty("accessed").GetInt64());
        Assert.Equal(5, asian.GetProperty("accessed_share_pct").GetDouble());       // 10 of 200 known
        Assert.Equal(20, asian.GetProperty("population_share_pct").GetDouble());    // 200 of 1,000
        Assert.Equal(0.25, asian.GetProperty("representation_ratio").GetDouble());
        Assert.True(asian.GetProperty("upper_ci").GetDouble() < 1);
        Assert.Equal("under_represented", asian.GetProperty("flag").GetString());
        Assert.Equal("over_represented", Group(access, "black").GetProperty("flag").GetString()); // 20% against 10%
        Assert.Equal("not_significant", Group(access, "white").GetProperty("flag").GetString());  // 60% against 60%
        Assert.Equal(4, access.GetProperty("degrees_of_freedom").GetInt32());
        Assert.True(access.GetProperty("p_value").GetDouble() < 0.001);

        var outcome = period.GetProperty("outcome");
        Assert.Equal("white", outcome.GetProperty("reference_group").GetString());
        Assert.Equal(50, Group(outcome, "white").GetProperty("rate").GetDouble());
        Assert.Equal(1, Group(outcome, "black").GetProperty("rate_ratio").GetDouble());
        Assert.Equal(0, outcome.GetProperty("chi_square").GetDouble());
        Assert.Equal(1, outcome.GetProperty("p_value").GetDouble());
        Assert.False(outcome.GetProperty("significant").GetBoolean());

        var unknown = period.GetProperty("unknown");
        Assert.Equal(10, unknown.GetProperty("not_stated").GetInt64());
        Assert.Equal(15, unknown.GetProperty("not_known").GetInt64());
        Assert.Equal(11.11, unknown.GetProperty("share_pct").GetDouble());           // 25 of 225
        Assert.Contains("bias", unknown.GetProperty("warning").GetString());
    }

    [Fact]
    public async Task SafeFormSuppressesDerivedFiguresThatRestOnASmallGroup()
    {
        // By category, 'Any other Black background' (P) and others have no one: every group under 5 hides its ratio, and the tests go.
        var report = await data.SafeAnalyst.GetFromJsonAsync<JsonElement>($"/api/v1/reports/equality?{Year}&breakdown=ethnic_category");
        var period = report.GetProperty("periods")[0];
        Assert.Equal("safe", report.GetProperty("disclosure").GetString());
        var access = period.GetProperty("access");
        Assert.True(Group(access, "P").GetProperty("suppressed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, access.GetProperty("chi_square").ValueKind);
        Assert.True(access.GetProperty("test_suppressed").GetBoolean());
        Assert.True(period.GetProperty("outcome").GetProperty("test_suppressed").GetBoolean());
        // A group with enough people still shows, rounded: A has 120 accessing.
        Assert.Equal(120, Group(access, "A").GetProperty("accessed").GetInt64());
        Assert.Contains("reference population", access.GetProperty("note").GetString()); // populations were loaded as broad groups

        var broad = await data.SafeAnalyst.GetFromJsonAsync<JsonElement>($"/api/v1/reports/equality?{Year}");
        var safeAccess = broad.GetProperty("periods")[0].GetProperty("access");
        Assert.Equal("under_represented", Group(safeAccess, "asian").GetProperty("flag").GetString());
        Assert.Equal(5, Group(safeAccess, "asian").GetProperty("accessed_share_pct").GetDouble());
        Assert.False(safeAccess.GetProperty("test_suppressed").GetBoolean());
    }

    [Fact]
    public async Task OtherIndicatorsReferenceGroupsViewsAndTrends()
    {
        var rapid = await data.Analyst.GetFromJsonAsync<JsonElement>($"/api/v1/reports/equality?{Year}&indicator=rapid_job_search_pct&reference_group=black&disclosure=none");
        Assert.Equal("rapid_job_search_pct", rapid.GetProperty("indicator").GetString());
        Assert.Equal("black", rapid.GetProperty("periods")[0].GetProperty("outcome").GetProperty("reference_group").GetString());

        var british = await data.Analyst.GetFromJsonAsync<JsonElement>($"/api/v1/reports/equality?{Year}&breakdown=white_british&disclosure=none");
        var groups = british.GetProperty("periods")[0].GetProperty("outcome").GetProperty("groups").EnumerateArray()
            .Select(g => g.GetProperty("group").GetString()!).ToArray();
        Assert.Equal(["white_british", "other_known"], groups);

        var trend = await data.Analyst.GetFromJsonAsync<JsonElement>("/api/v1/reports/equality?level=icb&code=QWO&period_type=quarter&from=2024-04&to=2025-03&disclosure=none");
        Assert.Equal(["2024-25-Q1", "2024-25-Q2", "2024-25-Q3", "2024-25-Q4"], trend.GetProperty("periods").EnumerateArray().Select(p => p.GetProperty("period").GetString()!));

        var csv = await data.Analyst.GetStringAsync($"/api/v1/reports/equality?{Year}&disclosure=none&format=csv");
        Assert.StartsWith("organisation_code,period,period_start,period_end,section,group,measure,value,lower_ci,upper_ci,suppressed,data_version", csv.TrimStart('\uFEFF'));
        Assert.Contains(",access,asian,flag,under_represented,", csv);
    }

    [Fact]
    public async Task ExactFiguresNeedThePermissionAndTheRulesOfScopeHold()
    {
        await Expect.Problem(await data.SafeAnalyst.GetAsync($"/api/v1/reports/equality?{Year}&disclosure=none"), HttpStatusCode.Forbidden,
            "urn:ipsoutcomes:problem:forbidden");
        using var other = data.App.ClientWithKey(await data.App.IssueKeyAsync("icb", "QF7"));
        await Expect.Problem(await other.GetAsync($"/api/v1/reports/equality?{Year}"), HttpStatusCode.Forbidden, "urn:ipsoutcomes:problem:forbidden");
        var bad = await Expect.Problem(await data.Analyst.GetAsync($"/api/v1/reports/equality?{Year}&breakdown=gender&indicator=referrals&reference_group=martian"),
            HttpStatusCode.BadRequest, "urn:ipsoutcomes:problem:validation");
        foreach (var field in new[] { "breakdown", "indicator" }) Assert.True(bad.GetProperty("errors").TryGetProperty(field, out _), field);
        await Expect.Status(await data.Analyst.GetAsync($"/api/v1/reports/equality?{Year}&disclosure=none"), HttpStatusCode.OK);
        Assert.True(ReturnKit.Scalar(data.App, "SELECT COUNT(*) FROM audit_log WHERE action = 'indicators.exact_figures' AND detail LIKE '%equality'") >= 1);
    }
}
