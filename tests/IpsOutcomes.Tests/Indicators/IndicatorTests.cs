using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IpsOutcomes.Tests.Returns;

namespace IpsOutcomes.Tests.Indicators;

/// <summary>
/// Every indicator against hand-worked figures on a small crafted dataset. Provider IND01 (West Yorkshire, QWO):
///
/// | ref | client | referred   | first contact | employer   | status   | jobs (counted unless noted)                    | discharged |
/// ethnicity |
/// |-----|--------|------------|---------------|------------|----------|------------------------------------------------|------------|-----------|
/// | R1  | C1     | 2025-03-03 | 2025-03-10    | 2025-03-20 | unemp.   | 2025-04-07 competitive                          |            | A  
/// |
/// | R2  | C2     | 2025-03-31 | 2025-04-01    |            | employed |                                                |            | N   
/// |
/// | R3  | C3     | 2025-01-15 | 2025-02-20    | 2025-04-10 | inactive | 2025-03-01 to 03-20 self-employed (recorded late) | 2025-04-30 | H
/// |
/// | R4  | C1     | 2025-04-02 | 2025-04-09    |            | unemp.   | 2025-04-15 other_paid (not counted)             |            | A  
/// |
/// | R5  | C5     | 2024-12-01 |               |            | unemp.   |                                                | 2025-01-31 | Z   
/// |
/// | R6  | C6     | 2025-04-30 |               |            | unemp.   |                                                |            | 99  
/// |
/// | R7  | C7     | 2024-05-10 | 2024-05-15    |            | unemp.   | 2024-06-03 to 08-01; 2024-09-02 (no end)       |            | B   
/// |
///
/// plus IND02 (QWO) and IND03 (South Yorkshire, QF7), one referral each, first seen in April 2025.
/// </summary>
public class IndicatorTests(IndicatorTests.Dataset data) : IClassFixture<IndicatorTests.Dataset>
{
    private const string Header = "referral_id,client_id,referral_date,ethnic_category,gender,age_at_referral,employment_status_at_referral," +
        "first_contact_date,first_employer_contact_date,job_1_start_date,job_1_end_date,job_1_type,job_2_start_date,job_2_end_date,job_2_type,discharge_date";

    public sealed class Dataset : IAsyncLifetime
    {
        public TestApp App { get; } = new();
        public HttpClient National { get; private set; } = null!;
        public HttpClient WestYorkshire { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await App.RegisterProviderAsync("IND01", "QWO");
            await App.RegisterProviderAsync("IND02", "QWO");
            await App.RegisterProviderAsync("IND03", "QF7");
            using var one = App.ClientWithKey(await App.IssueKeyAsync("provider", "IND01"));
            // March's return first, as the service knew it then: R3's job and R1's employer contact not yet recorded.
            var march = await ReturnKit.SubmitAsync(one, "IND01", "2025-03", Header + "\n" + string.Join("\n",
                "R1,C1,2025-03-03,A,2,30,unemployed,2025-03-10,,,,,,,,",
                "R2,C2,2025-03-31,N,1,45,employed,,,,,,,,,",
                "R3,C3,2025-01-15,H,2,52,economically_inactive,2025-02-20,,,,,,,,",
                "R5,C5,2024-12-01,Z,1,23,unemployed,,,,,,,,,2025-01-31",
                "R7,C7,2024-05-10,B,2,61,unemployed,2024-05-15,,2024-06-03,2024-08-01,competitive,2024-09-02,,competitive,") + "\n");
            Assert.Equal("accepted", march.GetProperty("status").GetString());
            var april = await ReturnKit.SubmitAsync(one, "IND01", "2025-04", Header + "\n" + string.Join("\n",
                "R1,C1,2025-03-03,A,2,30,unemployed,2025-03-10,2025-03-20,2025-04-07,,competitive,,,,",
                "R2,C2,2025-03-31,N,1,45,employed,2025-04-01,,,,,,,,",
                "R3,C3,2025-01-15,H,2,52,economically_inactive,2025-02-20,2025-04-10,2025-03-01,2025-03-20,self_employed,,,,2025-04-30",
                "R4,C1,2025-04-02,A,2,30,unemployed,2025-04-09,,2025-04-15,,other_paid,,,,",
                "R5,C5,2024-12-01,Z,1,23,unemployed,,,,,,,,,2025-01-31",
                "R6,C6,2025-04-30,99,,,unemployed,,,,,,,,,",
                "R7,C7,2024-05-10,B,2,61,unemployed,2024-05-15,,2024-06-03,2024-08-01,competitive,2024-09-02,,competitive,") + "\n");
            Assert.Equal("accepted", april.GetProperty("status").GetString());
            foreach (var (provider, row) in new[] { ("IND02", "S1,D1,2025-04-10,A,1,33,unemployed,2025-04-14,,,,,,,,"), ("IND03", "T1,E1,2025-04-11,M,2,40,unemployed,2025-04-12,,,,,,,,") })
            {
                using var client = App.ClientWithKey(await App.IssueKeyAsync("provider", provider));
                Assert.Equal("accepted", (await ReturnKit.SubmitAsync(client, provider, "2025-04", Header + "\n" + row + "\n")).GetProperty("status").GetString());
            }
            National = App.ClientWithKey(await App.IssueKeyAsync("national", unsuppressed: true));
            WestYorkshire = App.ClientWithKey(await App.IssueKeyAsync("icb", "QWO"));
        }

        public Task DisposeAsync()
        {
            App.Dispose();
            return Task.CompletedTask;
        }
    }

    private async Task<JsonElement[]> Rows(HttpClient client, string query) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/v1/indicators?" + query)).EnumerateArray().ToArray();

    private async Task<Dictionary<string, JsonElement>> Exact(string query) =>
        (await Rows(data.National, query + "&disclosure=none")).ToDictionary(r => r.GetProperty("indicator_id").GetString()!);

    private static double? Value(JsonElement row) => row.GetProperty("value")
        .ValueKind == JsonValueKind.Null ? null : row.GetProperty("value").GetDouble();

    private static void Share(JsonElement row, long numerator, long denominator, double? value)
    {
        Assert.Equal(numerator, row.GetProperty("numerator").GetInt64());
        Assert.Equal(denominator, row.GetProperty("denominator").GetInt64());
        Assert.Equal(value, Value(row));
    }

    [Fact]
    public async Task AMonthMatchesTheHandWorkedFigures()
    {
        var april = await Exact("level=provider&code=IND01&period_type=month&month=2025-04");
        Assert.Equal(2, Value(april["referrals"]));                       // R4, R6
        Share(april["referrals_in_work_pct"], 0, 2, 0);
        Assert.Equal(2, Value(april["accessed"]));                        // R2 (first day of April), R4
        Assert.Equal(2, Value(april["people_accessed"]));                 // C2, C1
        Assert.Equal(4, Value(april["caseload"]));                        // R1, R2, R4, R7; R3 discharged on the last day
        Share(april["first_contact_within_30_days_pct"], 2, 2, 100);
        Share(april["first_contact_0_7_days_pct"], 2, 2, 100);
        Share(april["first_contact_8_30_days_pct"], 0, 2, 0);
        Share(april["first_contact_over_30_days_pct"], 0, 2, 0);
        Assert.Equal(4, Value(april["median_days_to_first_contact"]));    // 1 and 7
        Assert.Equal(1, Value(april["people_into_work"]));                // C1 (R1's job; R4's other_paid does not count)
        Assert.Equal(1, Value(april["job_starts"]));
        Share(april["employment_rate"], 0, 1, 0);                         // R4 only (R2 was employed)
        Share(april["rapid_job_search_pct"], 0, 0, null);                 // nobody first seen by 31 March
        Assert.Equal(28, Value(april["median_days_to_first_job"]));       // C1: 10 March to 7 April
        Share(april["job_sustained_13_weeks_pct"], 0, 0, null);
        Assert.Equal(1, Value(april["discharges"]));                      // R3
        Share(april["ethnicity_recorded_pct"], 5, 6, 83.33);              // open: R1-R4, R6, R7; R6 is 99
        Assert.DoesNotContain("accessed_vs_target_pct", april.Keys);      // no target loaded
    }

    [Fact]
    public async Task AJobRecordedLateCountsInTheMonthItStarted()
    {
        var march = await Exact("level=provider&code=IND01&period_type=month&month=2025-03");
        Assert.Equal(1, Value(march["people_into_work"]));                // C3, from April's return
        Assert.Equal(1, Value(march["job_starts"]));
        Assert.Equal(9, Value(march["median_days_to_first_job"]));        // 20 February to 1 March
        Assert.Equal(2, Value(march["referrals"]));                       // R1, R2 on the last day of March
        Share(march["referrals_in_work_pct"], 1, 2, 50);
        Assert.Equal(3, Value(march["caseload"]));                        // R1, R3, R7
        Share(march["ethnicity_recorded_pct"], 4, 4, 100);
    }

    [Fact]
    public async Task Rolling12MatchesTheHandWorkedFigures()
    {
        var year = await Exact("level=provider&code=IND01&period_type=rolling12&month=2025-04");
        Assert.Equal("12 months to 2025-04", year["referrals"].GetProperty("period").GetString());
        Assert.Equal("2024-05-01", year["referrals"].GetProperty("period_start").GetString());
        Assert.Equal(7, Value(year["referrals"]));
        Share(year["referrals_in_work_pct"], 1, 7, 14.29);
        Assert.Equal(5, Value(year["accessed"]));
        Assert.Equal(4, Value(year["people_accessed"]));                 // C1 twice is one person
        Share(year["first_contact_within_30_days_pct"], 4, 5, 80);
        Share(year["first_contact_over_30_days_pct"], 1, 5, 20);
        Assert.Equal(7, Value(year["median_days_to_first_contact"]));    // 1, 5, 7, 7, 36
        Assert.Equal(3, Value(year["people_into_work"]));                // C1, C3, C7
        Assert.Equal(19, Value(year["median_days_to_first_job"]));       // 28, 9, 19
        Assert.Equal(4, Value(year["job_starts"]));
        Share(year["employment_rate"], 3, 4, 75);                        // R1, R3, R7 of R1, R3, R4, R7
        Assert.Equal(40, year["employment_rate"].GetProperty("benchmark").GetDouble());
        Share(year["rapid_job_search_pct"], 1, 3, 33.33);                // R1 of R1, R3, R7
        Share(year["job_sustained_13_weeks_pct"], 1, 2, 50);             // R7's second job lasted; its first ended after 59 days
        Assert.Equal(2, Value(year["discharges"]));
        Share(year["ethnicity_recorded_pct"], 5, 7, 71.43);
        var wilson = IpsOutcomes.Indicators.Statistics.Wilson(5, 7)!.Value;
        Assert.Equal(Math.Round(wilson.Lower * 100, 2), year["ethnicity_recorded_pct"].GetProperty("lower_ci").GetDouble());
        Assert.Equal(Math.Round(wilson.Upper * 100, 2), year["ethnicity_recorded_pct"].GetProperty("upper_ci").GetDouble());
    }

    [Fact]
    public async Task QuarterAndFinancialYearToDateFollowNhsFinancialYears()
    {
        var quarter = await Exact("level=provider&code=IND01&period_type=quarter&month=2025-05");
        Assert.Equal("2025-26-Q1", quarter["accessed"].GetProperty("period").GetString());
        Assert.Equal("2025-06-30", quarter["accessed"].GetProperty("period_end").GetString());
        Assert.Equal(2, Value(quarter["accessed"]));
        Assert.Equal(4, Value(quarter["caseload"]));
        Share(quarter["rapid_job_search_pct"], 0, 2, 0);                 // R2 and R4 have 30 days' follow-up by 30 June

        var fytd = await Exact("level=provider&code=IND01&period_type=fytd&month=2025-04");
        Assert.Equal("2025-04-01", fytd["accessed"].GetProperty("period_start").GetString());
        Assert.Equal(2, Value(fytd["accessed"]));
        var march = await Exact("level=provider&code=IND01&period_type=fytd&month=2025-03");
        Assert.Equal("2024-04-01", march["accessed"].GetProperty("period_start").GetString());
        Assert.Equal(3, Value(march["accessed"]));                       // R7 (May), R3 (February), R1 (March)
    }

    [Fact]
    public async Task ATimeSeriesHasOneRowPerPeriod()
    {
        var rows = await Rows(data.National, "level=provider&code=IND01&period_type=month&from=2025-01&to=2025-04&indicators=accessed,referrals&disclosure=none");
        Assert.Equal(8, rows.Length);
        // first contacts: R3 in February, R1 in March, R2 and R4 in April
        Assert.Equal([0, 1, 1, 2], rows.Where(r => r.GetProperty("indicator_id").GetString() == "accessed").Select(r => Value(r)!.Value));
    }

    [Fact]
    public async Task BreakdownsSplitByTheRecordedValuesAndCountAPersonOncePerGroup()
    {
        var rows = await Rows(data.National, "level=provider&code=IND01&period_type=rolling12&month=2025-04&indicators=accessed,people_accessed&breakdown=ethnic_group&disclosure=none");
        double? Cell(string indicator, string group)
            => Value(rows.Single(r => r.GetProperty("indicator_id").GetString() == indicator && r.GetProperty("group")
            .GetString() == group));
        Assert.Equal(3, Cell("accessed", "white"));                       // R1, R4 (A), R7 (B)
        Assert.Equal(2, Cell("people_accessed", "white"));                // C1 once, C7
        Assert.Equal(1, Cell("accessed", "black"));
        Assert.Equal(1, Cell("accessed", "asian"));
        Assert.Equal(0, Cell("accessed", "not_known"));
        Assert.Equal(7, rows.Count(r => r.GetProperty("indicator_id").GetString() == "accessed"));

        var british = await Rows(data.National, "level=provider&code=IND01&period_type=rolling12&month=2025-04&indicators=referrals&breakdown=white_british&disclosure=none");
        Assert.Equal([2, 3, 1, 1], british.Select(r => Value(r)!.Value));  // A: R1, R4; other known: R2, R3, R7; Z: R5; 99: R6
        var ages = await Rows(data.National, "level=provider&code=IND01&period_type=rolling12&month=2025-04&indicators=referrals&breakdown=age_band&disclosure=none");
        Assert.Equal([1, 2, 2, 1, 1], ages.Select(r => Value(r)!.Value)); // 23; 30, 30; 45, 52; 61; unknown
    }

    [Fact]
    public async Task HigherLevelsAddUpTheirProviders()
    {
        var westYorkshire = await Exact("level=icb&code=QWO&period_type=month&month=2025-04&indicators=accessed");
        Assert.Equal(3, Value(westYorkshire["accessed"]));
        var region = await Exact("level=region&code=Y63&period_type=month&month=2025-04&indicators=accessed");
        Assert.Equal(4, Value(region["accessed"]));
        var england = await Exact("level=england&period_type=month&month=2025-04&indicators=accessed");
        Assert.Equal(4, Value(england["accessed"]));
        // In safe form England follows the same rules: with few services, England minus the rest would give one back.
        var safeEngland = (await Rows(data.National, "level=england&period_type=month&month=2025-04&indicators=accessed")).Single();
        Assert.True(safeEngland.GetProperty("suppressed").GetBoolean());

        var league = await Rows(data.National, "level=provider&within=QWO&period_type=month&month=2025-04&indicators=accessed&disclosure=none");
        Assert.Equal(["IND01", "IND02"], league.Select(r => r.GetProperty("organisation_code").GetString()!));
        var allIcbs = await Rows(data.National, "level=icb&period_type=month&month=2025-04&indicators=accessed&disclosure=none");
        Assert.Equal(42, allIcbs.Length);
    }

    [Fact]
    public async Task SafeFiguresSuppressSmallNumbersAndRoundTheRest()
    {
        var safe = (await Rows(data.National, "level=provider&code=IND01&period_type=rolling12&month=2025-04"))
            .ToDictionary(r => r.GetProperty("indicator_id").GetString()!);
        Assert.Equal(5, Value(safe["referrals"]));                       // 7 rounds to 5
        Assert.Equal(5, Value(safe["accessed"]));                        // 5 stays 5
        Assert.Null(Value(safe["caseload"]));                            // 4: under 5
        Assert.True(safe["caseload"].GetProperty("suppressed").GetBoolean());
        Assert.True(safe["employment_rate"].GetProperty("suppressed").GetBoolean()); // 3 of 4
        Assert.Equal(JsonValueKind.Null, safe["employment_rate"].GetProperty("lower_ci").ValueKind);
        Assert.Equal(JsonValueKind.Null, safe["employment_rate"].GetProperty("numerator").ValueKind);
        var recorded = safe["ethnicity_recorded_pct"];                   // 5 of 7: shown as 5 of 5, and worked out from those
        Assert.Equal(100, Value(recorded));
        Assert.Equal(5, recorded.GetProperty("numerator").GetInt64());
        Assert.Equal(5, recorded.GetProperty("denominator").GetInt64()); // 7 rounds to 5
        Assert.Equal(Math.Round(IpsOutcomes.Indicators.Statistics.Wilson(5, 5)!.Value.Lower * 100), recorded.GetProperty("lower_ci").GetDouble());
        Assert.True(safe["median_days_to_first_job"].GetProperty("suppressed").GetBoolean()); // 3 people

        var csv = await data.National.GetStringAsync("/api/v1/indicators?level=provider&code=IND01&period_type=rolling12&month=2025-04&format=csv");
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(",", IpsOutcomes.Indicators.IndicatorResult.CsvColumns), lines[0]);
        var caseload = lines.Single(l => l.Contains(",caseload,")).Split(',');
        Assert.Equal("*", caseload[13]);
        Assert.Equal("true", caseload[18]);
        var employment = lines.Single(l => l.Contains(",employment_rate,")).Split(',');
        Assert.Equal(["*", "*", "*", "*"], new[] { employment[11], employment[13], employment[14], employment[15] });
    }

    [Fact]
    public async Task ExactFiguresNeedThePermissionAndAreAudited()
    {
        await Expect.Problem(await data.WestYorkshire.GetAsync("/api/v1/indicators?level=icb&code=QWO&period_type=month&month=2025-04&disclosure=none"),
            HttpStatusCode.Forbidden, "urn:ipsoutcomes:problem:forbidden");
        using var analyst = data.App.ClientWithKey(await data.App.IssueKeyAsync("icb", "QWO", unsuppressed: true, name: "QWO exact"));
        await Expect.Status(await analyst.GetAsync("/api/v1/indicators?level=icb&code=QWO&period_type=month&month=2025-04&disclosure=none"), HttpStatusCode.OK);
        await Expect.Status(await analyst.GetAsync("/api/v1/indicators?level=provider&code=IND02&period_type=month&month=2025-04&disclosure=none"), HttpStatusCode.OK);
        foreach (var outside in new[] { "level=icb&code=QF7", "level=provider&code=IND03", "level=england", "level=region&code=Y63" })
            await Expect.Problem(await analyst.GetAsync($"/api/v1/indicators?{outside}&period_type=month&month=2025-04&disclosure=none"),
                HttpStatusCode.Forbidden, "urn:ipsoutcomes:problem:forbidden");
        Assert.Equal(2, ReturnKit.Scalar(data.App, "SELECT COUNT(*) FROM audit_log WHERE action = 'indicators.exact_figures' AND key_name = 'QWO exact'"));
    }

    [Fact]
    public async Task AProviderSeesItsOwnFiguresExactAndOthersUnderTheRules()
    {
        using var own = data.App.ClientWithKey(await data.App.IssueKeyAsync("provider", "IND01", name: "IND01 own"));
        const string query = "level=provider&code=IND01&period_type=rolling12&month=2025-04";
        var exact = await Exact(query);
        var seen = (await Rows(own, query)).ToDictionary(r => r.GetProperty("indicator_id").GetString()!);
        foreach (var (id, row) in exact)
        {
            Assert.Equal(Value(row), Value(seen[id]));
            Assert.False(seen[id].GetProperty("suppressed").GetBoolean(), id);
        }
        Assert.Equal(3, seen["employment_rate"].GetProperty("numerator").GetInt64()); // 3 of 4: suppressed for everyone else
        Assert.Equal(4, seen["employment_rate"].GetProperty("denominator").GetInt64());
        await Expect.Status(await own.GetAsync($"/api/v1/indicators?{query}&disclosure=none"), HttpStatusCode.OK);

        // Asked for in safe form, it sees what everyone else sees.
        var safe = (await Rows(own, query + "&disclosure=safe")).ToDictionary(r => r.GetProperty("indicator_id").GetString()!);
        Assert.True(safe["employment_rate"].GetProperty("suppressed").GetBoolean());

        var equality = await own.GetFromJsonAsync<JsonElement>($"/api/v1/reports/equality?{query}");
        Assert.Contains("\"disclosure\":\"none\"", equality.GetRawText());
        var summary = await own.GetFromJsonAsync<JsonElement>("/api/v1/indicators/summary?level=provider&code=IND01");
        Assert.False(summary.GetProperty("employment_rate_rolling12").GetProperty("suppressed").GetBoolean());

        // Its own rows are not a use of the unsuppressed permission; nor does it reach anyone else's figures.
        Assert.Equal(0, ReturnKit.Scalar(data.App, "SELECT COUNT(*) FROM audit_log WHERE action = 'indicators.exact_figures' AND key_name = 'IND01 own'"));
        await Expect.Problem(await own.GetAsync("/api/v1/indicators?level=provider&code=IND02&period_type=rolling12&month=2025-04"),
            HttpStatusCode.Forbidden, "urn:ipsoutcomes:problem:forbidden");
    }

    [Fact]
    public async Task EachRowComparesWithTheComparatorsAskedFor()
    {
        const string query = "level=provider&code=IND01&period_type=rolling12&month=2025-04&indicators=employment_rate,accessed&disclosure=none";
        var rows = await Rows(data.National, query + "&compare=england,icb,benchmark,region");
        var employment = rows.Single(r => r.GetProperty("indicator_id").GetString() == "employment_rate");
        var comparisons = employment.GetProperty("comparisons").EnumerateArray().ToList();
        // In comparisons.md's order, whatever the order asked.
        Assert.Equal(["icb", "region", "england", "benchmark"], comparisons.Select(c => c.GetProperty("comparator").GetString()!));
        Assert.Equal("QWO", comparisons[0].GetProperty("code").GetString());
        Assert.Equal("england", comparisons[2].GetProperty("code").GetString());
        // 3 of 4 (75%, 95% interval 30.1% to 95.4%) against the 40% benchmark: the interval contains it.
        Assert.Equal(40, comparisons[3].GetProperty("value").GetDouble());
        Assert.Equal("similar", comparisons[3].GetProperty("outcome").GetString());
        // Comparators are published in safe form whoever asks: England's 4 people into work of 5 are hidden, so IND01
        // is not compared with England, nor with its ICB.
        foreach (var hidden in new[] { comparisons[0], comparisons[2] })
        {
            Assert.Equal(JsonValueKind.Null, hidden.GetProperty("value").ValueKind);
            Assert.Equal("not_compared", hidden.GetProperty("outcome").GetString());
        }
        // A count has no interval to compare.
        var accessed = rows.Single(r => r.GetProperty("indicator_id").GetString() == "accessed");
        Assert.All(accessed.GetProperty("comparisons").EnumerateArray(), c => Assert.Equal("not_compared", c.GetProperty("outcome").GetString()));
        // Without compare=, rows have no comparisons at all.
        Assert.False((await Rows(data.National, query)).First().TryGetProperty("comparisons", out _));

        var csv = await data.National.GetStringAsync($"/api/v1/indicators?{query}&compare=benchmark&confidence=99.8&format=csv");
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith(",data_version,benchmark_code,benchmark_value,benchmark_outcome", lines[0]);
        Assert.EndsWith(",40,similar", lines.Single(l => l.Contains(",employment_rate,")));

        // The recent trend over five rolling years: IND01 has one year of data, so it cannot be calculated; a count has none.
        var trended = await Rows(data.National, query + "&trend=true");
        var trend = trended.Single(r => r.GetProperty("indicator_id").GetString() == "employment_rate").GetProperty("trend");
        Assert.Equal("cannot_be_calculated", trend.GetProperty("direction").GetString());
        Assert.False(trended.Single(r => r.GetProperty("indicator_id").GetString() == "accessed").TryGetProperty("trend", out _));
        var trendCsv = await data.National.GetStringAsync($"/api/v1/indicators?{query}&trend=true&format=csv");
        Assert.EndsWith(",data_version,trend,trend_judgement,trend_p_value", trendCsv.TrimStart('\uFEFF').Split("\r\n")[0]);

        var bad = await Expect.Problem(await data.National.GetAsync($"/api/v1/indicators?{query}&compare=moon&confidence=90"),
            HttpStatusCode.BadRequest, "urn:ipsoutcomes:problem:validation");
        Assert.True(bad.GetProperty("errors").TryGetProperty("compare", out _));
        Assert.True(bad.GetProperty("errors").TryGetProperty("confidence", out _));
    }

    [Fact]
    public async Task AFunnelPlotPlacesEveryProviderAgainstEnglandWithItsQuartile()
    {
        const string query = "level=provider&period_type=rolling12&month=2025-04&indicators=employment_rate&disclosure=none";
        var funnel = await data.National.GetFromJsonAsync<JsonElement>($"/api/v1/indicators/funnel?{query}");
        var england = Value((await Rows(data.National, "level=england&period_type=rolling12&month=2025-04&indicators=employment_rate&disclosure=none")).Single())!.Value;
        Assert.Equal(england, funnel.GetProperty("comparator_value").GetDouble());
        var points = funnel.GetProperty("points").EnumerateArray().ToList();
        var shown = points.Where(p => p.GetProperty("value").ValueKind == JsonValueKind.Number).ToList();
        Assert.NotEmpty(shown);
        var values = shown.Select(p => p.GetProperty("value").GetDouble()).Order().ToList();
        var quartiles = IpsOutcomes.Indicators.Fingertips.QuartilesOf(values)!.Value;
        Assert.Equal(quartiles.Median, funnel.GetProperty("quartiles").GetProperty("median").GetDouble(), 9);
        foreach (var point in shown)
        {
            var value = point.GetProperty("value").GetDouble();
            Assert.Equal(IpsOutcomes.Indicators.Fingertips.QuartileOf(value, quartiles), point.GetProperty("quartile").GetInt32());
            var limits = IpsOutcomes.Indicators.Fingertips.Funnel(england / 100, point.GetProperty("denominator").GetInt64());
            var position = IpsOutcomes.Indicators.Fingertips.PositionIn(value / 100, limits);
            var expected = System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(position.ToString());
            Assert.Equal(expected.Replace("95", "_95").Replace("998", "_99_8"), point.GetProperty("position").GetString());
        }
        var curve = funnel.GetProperty("limits").EnumerateArray().ToList();
        Assert.True(curve.Count > 1);
        Assert.True(curve[^1].GetProperty("upper95").GetDouble() < curve[0].GetProperty("upper95").GetDouble()); // the funnel narrows

        // An ICB key sees its own providers' funnel, in safe form, and no one else's.
        await Expect.Status(await data.WestYorkshire.GetAsync("/api/v1/indicators/funnel?level=provider&within=QWO&period_type=rolling12&month=2025-04&indicators=employment_rate"), HttpStatusCode.OK);
        await Expect.Problem(await data.WestYorkshire.GetAsync("/api/v1/indicators/funnel?level=provider&period_type=rolling12&month=2025-04&indicators=employment_rate"),
            HttpStatusCode.Forbidden, "urn:ipsoutcomes:problem:forbidden");
        await Expect.Problem(await data.National.GetAsync("/api/v1/indicators/funnel?level=provider&month=2025-04&indicators=referrals"),
            HttpStatusCode.BadRequest, "urn:ipsoutcomes:problem:validation");
    }

    [Fact]
    public async Task AnSpcChartIsDrawnFromTheMonthlyFigures()
    {
        const string months = "from=2024-05&to=2025-04&indicators=referrals&disclosure=none";
        var report = await data.National.GetFromJsonAsync<JsonElement>($"/api/v1/indicators/spc?level=provider&code=IND01&{months}");
        Assert.Equal("no_judgement", report.GetProperty("polarity").GetString());
        var series = report.GetProperty("series").EnumerateArray().Single();
        var points = series.GetProperty("months").EnumerateArray().ToList();
        var figures = (await Rows(data.National, $"level=provider&code=IND01&period_type=month&{months}")).Select(Value).ToList();
        Assert.Equal(figures, points.Select(p => (double?)p.GetProperty("value").GetDouble()).ToList());
        // Twelve points: limits are shown, the mean is theirs, and the chart's icon is the latest point's state.
        var expected = IpsOutcomes.Indicators.Spc.Xmr(figures, IpsOutcomes.Indicators.Polarity.NoJudgement);
        Assert.Equal(figures.Average()!.Value, points[0].GetProperty("mean").GetDouble(), 9);
        Assert.Equal(expected.Points[^1].UpperLimit!.Value, points[^1].GetProperty("upper_limit").GetDouble(), 9);
        Assert.Equal(points[^1].GetProperty("state").GetString(), series.GetProperty("variation").GetString());
        Assert.Equal(System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(expected.Variation!.Value.ToString()),
            series.GetProperty("variation").GetString());

        var bad = await Expect.Problem(await data.National.GetAsync($"/api/v1/indicators/spc?level=provider&code=IND01&{months}&rebase=May&fix_after=1"),
            HttpStatusCode.BadRequest, "urn:ipsoutcomes:problem:validation");
        Assert.True(bad.GetProperty("errors").TryGetProperty("rebase", out _));
        Assert.True(bad.GetProperty("errors").TryGetProperty("fix_after", out _));
        await Expect.Problem(await data.WestYorkshire.GetAsync($"/api/v1/indicators/spc?level=provider&code=IND03&from=2024-05&to=2025-04&indicators=referrals"),
            HttpStatusCode.Forbidden, "urn:ipsoutcomes:problem:forbidden");
    }

    [Fact]
    public async Task TheSpineGathersEveryIndicatorsLatestYearComparisonsQuartileTrendAndSpc()
    {
        var spine = await data.National.GetFromJsonAsync<JsonElement>("/api/v1/indicators/spine?level=provider&code=IND01&month=2025-04&disclosure=none");
        Assert.Equal(("IND01", "12 months to 2025-04"), (spine.GetProperty("organisation_code").GetString(), spine.GetProperty("period").GetString()));
        var entries = spine.GetProperty("indicators").EnumerateArray().ToDictionary(e => e.GetProperty("indicator").GetString()!);
        var rows = await Exact("level=provider&code=IND01&period_type=rolling12&month=2025-04");
        Assert.Equal(rows.Keys.Order(), entries.Keys.Order());
        foreach (var (id, row) in rows) Assert.Equal(Value(row), entries[id].GetProperty("value")
            .ValueKind == JsonValueKind.Null ? null : entries[id].GetProperty("value").GetDouble());

        var employment = entries["employment_rate"];
        Assert.Equal(["icb", "region", "england", "benchmark"], employment.GetProperty("comparisons").EnumerateArray().Select(c => c.GetProperty("comparator").GetString()!));
        Assert.Equal("higher_is_better", employment.GetProperty("polarity").GetString());
        Assert.Equal("cannot_be_calculated", employment.GetProperty("trend").GetProperty("direction").GetString());
        // Twenty-four months of referrals for the SPC reading; its quartile among all providers' published figures.
        Assert.Equal(JsonValueKind.String, entries["referrals"].GetProperty("variation").ValueKind);
        Assert.InRange(entries["referrals"].GetProperty("quartile").GetInt32(), 1, 4);

        await Expect.Problem(await data.WestYorkshire.GetAsync("/api/v1/indicators/spine?level=provider&code=IND03&month=2025-04"),
            HttpStatusCode.Forbidden, "urn:ipsoutcomes:problem:forbidden");
        await Expect.Problem(await data.National.GetAsync("/api/v1/indicators/spine?level=provider&month=2025-04"),
            HttpStatusCode.BadRequest, "urn:ipsoutcomes:problem:validation");
    }

    [Fact]
    public async Task EachKeyReadsOnlyItsScope()
    {
        using var provider = data.App.ClientWithKey(await data.App.IssueKeyAsync("provider", "IND02"));
        await Expect.Status(await provider.GetAsync("/api/v1/indicators?level=provider&code=IND02&period_type=month&month=2025-04"), HttpStatusCode.OK);
        foreach (var query in new[] { "level=provider&code=IND01", "level=icb&code=QWO", "level=england", "level=provider&within=QWO" })
            await Expect.Problem(await provider.GetAsync($"/api/v1/indicators?{query}&period_type=month&month=2025-04"),
                HttpStatusCode.Forbidden, "urn:ipsoutcomes:problem:forbidden");
        var icb = data.WestYorkshire;
        foreach (var query in new[] { "level=icb&code=QWO", "level=provider&code=IND01", "level=provider&within=QWO", "level=region&code=Y63", "level=england" })
            await Expect.Status(await icb.GetAsync($"/api/v1/indicators?{query}&period_type=month&month=2025-04"), HttpStatusCode.OK);
        foreach (var query in new[] { "level=icb&code=QF7", "level=provider&code=IND03", "level=icb", "level=provider&within=QF7" })
            await Expect.Problem(await icb.GetAsync($"/api/v1/indicators?{query}&period_type=month&month=2025-04"),
                HttpStatusCode.Forbidden, "urn:ipsoutcomes:problem:forbidden");
    }

    [Fact]
    public async Task BadQueriesNameTheirParameters()
    {
        var body = await Expect.Problem(await data.National.GetAsync("/api/v1/indicators?level=planet&period_type=weekly&month=March&indicators=happiness&breakdown=star_sign"),
            HttpStatusCode.BadRequest, "urn:ipsoutcomes:problem:validation");
        foreach (var field in new[] { "level", "period_type", "month", "indicators", "breakdown" })
            Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), field);
        await Expect.Problem(await data.National.GetAsync("/api/v1/indicators?level=icb&code=NOPE&month=2025-04"),
            HttpStatusCode.NotFound, "urn:ipsoutcomes:problem:not-found");
        await Expect.Problem(await data.National.GetAsync("/api/v1/indicators?level=icb&code=QWO&from=2010-01&to=2025-04"),
            HttpStatusCode.BadRequest, "urn:ipsoutcomes:problem:validation");
    }

    [Fact]
    public async Task AnETagLetsARefreshSkipUnchangedData()
    {
        const string query = "/api/v1/indicators?level=icb&code=QWO&period_type=rolling12&month=2025-04";
        var first = await data.National.GetAsync(query);
        var tag = first.Headers.ETag!;
        using var again = new HttpRequestMessage(HttpMethod.Get, query);
        again.Headers.IfNoneMatch.Add(tag);
        var notModified = await data.National.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task TheCatalogueServesEveryDefinition()
    {
        var catalogue = await data.National.GetFromJsonAsync<JsonElement>("/api/v1/indicators/catalogue");
        Assert.Equal(19, catalogue.GetArrayLength());
        var employment = catalogue.EnumerateArray().Single(d => d.GetProperty("id").GetString() == "employment_rate");
        Assert.Equal(40, employment.GetProperty("benchmark").GetDouble());
        Assert.Equal("percent", employment.GetProperty("unit").GetString());
        var csv = await data.National.GetStringAsync("/api/v1/indicators/catalogue?format=csv");
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(20, lines.Length);

        // Polarity as comparisons.md lists it, in JSON and CSV alike.
        var polarity = catalogue.EnumerateArray().ToDictionary(d => d.GetProperty("id").GetString()!, d => d.GetProperty("polarity").GetString());
        foreach (var id in new[] { "employment_rate", "job_sustained_13_weeks_pct", "ethnicity_recorded_pct", "first_contact_within_30_days_pct",
                     "rapid_job_search_pct", "accessed", "people_into_work", "job_starts" })
            Assert.Equal("higher_is_better", polarity[id]);
        foreach (var id in new[] { "median_days_to_first_contact", "median_days_to_first_job", "referrals_in_work_pct" })
            Assert.Equal("lower_is_better", polarity[id]);
        foreach (var id in new[] { "referrals", "caseload", "discharges", "people_accessed" })
            Assert.Equal("no_judgement", polarity[id]);
        Assert.EndsWith(",Polarity", lines[0]);
        Assert.EndsWith(",higher_is_better", lines.Single(l => l.StartsWith("employment_rate,", StringComparison.Ordinal)));
    }
}
