using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using static IpsOutcomes.Tests.Returns.ReturnKit;

namespace IpsOutcomes.Tests.Reliability;

/// <summary>Ordinary requests (and a few odd ones) that once broke the service: each now gets an answer, never a 500.</summary>
public class OrdinaryRequestTests
{
    private static async Task<(TestApp App, HttpClient National, HttpClient Icb)> DatasetAsync()
    {
        var app = new TestApp();
        await app.RegisterProviderAsync("ORD01", "QWO");
        using (var provider = app.ClientWithKey(await app.IssueKeyAsync("provider", "ORD01")))
            Assert.Equal("accepted", (await SubmitAsync(provider, "ORD01", "2025-03",
                File([.. Enumerable.Range(1, 12).Select(i => Row($"R{i}"))]))).GetProperty("status").GetString());
        var icb = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO", unsuppressed: true));
        // A target the ICB has already passed: 12 accessed against 10.
        await Expect.Status(await icb.PostAsync("/api/v1/reference/access-targets",
            new StringContent("icb_code,financial_year,target\nQWO,2024-25,10\n", Encoding.UTF8, "text/csv")), HttpStatusCode.OK);
        return (app, app.ClientWithKey(await app.IssueKeyAsync("national")), icb);
    }

    [Fact]
    public async Task AnIcbPastItsAccessTargetGetsItsFiguresAndTheLeagueTableStillAnswers()
    {
        var (app, national, icb) = await DatasetAsync();
        using (app)
        {
            var rows = await icb.GetFromJsonAsync<JsonElement>("/api/v1/indicators?level=icb&code=QWO&period_type=fytd&month=2025-03&indicators=accessed,accessed_vs_target_pct");
            var target = rows.EnumerateArray().Single(r => r.GetProperty("indicator_id").GetString() == "accessed_vs_target_pct");
            // 12 accessed, published as 10, against a target of 10: 100%, worked out from the published count.
            Assert.Equal(10, target.GetProperty("numerator").GetInt64());
            Assert.Equal(100, target.GetProperty("value").GetDouble());
            Assert.Equal(JsonValueKind.Null, target.GetProperty("lower_ci").ValueKind); // a count against a target has no Wilson interval
            var exact = await icb.GetFromJsonAsync<JsonElement>("/api/v1/indicators?level=icb&code=QWO&period_type=fytd&month=2025-03&indicators=accessed_vs_target_pct&disclosure=none");
            Assert.Equal(120, exact[0].GetProperty("value").GetDouble());
            await Expect.Status(await national.GetAsync("/api/v1/indicators?level=icb&period_type=fytd&month=2025-03"), HttpStatusCode.OK);
        }
    }

    [Theory]
    [InlineData("/api/v1/indicators?level=icb&code=QWO&period_type=month&month=9999-12")]
    [InlineData("/api/v1/indicators?level=icb&code=QWO&period_type=rolling12&from=2099-01&to=9999-12")]
    [InlineData("/api/v1/reports/equality?level=icb&code=QWO&period_type=month&month=9999-12")]
    [InlineData("/api/v1/reports/completeness?month=9999-12")]
    public async Task AMonthBeyondTheCalendarIsABadRequest(string path)
    {
        var (app, _, icb) = await DatasetAsync();
        using (app) await Expect.Problem(await icb.GetAsync(path), HttpStatusCode.BadRequest, "urn:ipsoutcomes:problem:validation");
    }

    [Fact]
    public async Task ARequestForMoreFiguresThanTheBudgetSaysHowToNarrowIt()
    {
        var (app, national, _) = await DatasetAsync();
        using (app)
        {
            // Every ICB, ten years of rolling years, by ethnic category: 42 × 120 × 19 × 18 rows.
            var problem = await Expect.Problem(await national.GetAsync(
                "/api/v1/indicators?level=icb&period_type=rolling12&from=2015-04&to=2025-03&breakdown=ethnic_category"),
                HttpStatusCode.BadRequest, "urn:ipsoutcomes:problem:request-too-large");
            Assert.Equal(42L * 120 * 19 * 18, problem.GetProperty("rows").GetInt64());
            Assert.Contains("Narrow it", problem.GetProperty("detail").GetString());
            await Expect.Status(await national.GetAsync("/api/v1/indicators?level=icb&period_type=rolling12&from=2024-04&to=2025-03&breakdown=ethnic_group&indicators=accessed,employment_rate"), HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task BrokenMultipartBodiesAreBadRequestsAndLeaveNothingBehind()
    {
        var (app, _, _) = await DatasetAsync();
        using (app)
        {
            using var provider = app.ClientWithKey(await app.IssueKeyAsync("provider", "ORD01"));
            // The accepted return's own upload may still be on its way out (it is deleted just after the decision).
            var uploadsBefore = Scalar(app, "SELECT COUNT(*) FROM uploads");
            var csv = File(Row("R1"));
            var unclosed = $"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}";
            var hugeHeader = $"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{new string('x', 20_000)}.csv\"\r\n\r\n{csv}\r\n--b--\r\n";
            foreach (var (body, detail) in new[] { (unclosed, "closing boundary"), (hugeHeader, "16 KB") })
                foreach (var path in new[] { "/api/v1/providers/ORD01/returns/2025-03", "/api/v1/providers/ORD01/returns/2025-03/validate" })
                {
                    var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                    content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=b");
                    var problem = await Expect.Problem(await provider.PostAsync(path, content), HttpStatusCode.BadRequest, "urn:ipsoutcomes:problem:bad-request");
                    Assert.Contains(detail, problem.GetProperty("detail").GetString());
                }
            Assert.Equal(1, Scalar(app, "SELECT COUNT(*) FROM submissions"));
            Assert.True(Scalar(app, "SELECT COUNT(*) FROM uploads") <= uploadsBefore, "a broken upload left its chunks behind");
        }
    }

    [Fact]
    public async Task AMergerNamingANullPredecessorIsInvalid()
    {
        using var app = new TestApp();
        using var admin = app.Admin();
        var response = await admin.PostAsync("/api/v1/icbs/mergers", new StringContent(
            """{"code":"QNEW","name":"New ICB","gss_code":"E54000099","region_code":"Y63","effective_from":"2026-04-01","predecessors":[null]}""",
            Encoding.UTF8, "application/json"));
        var problem = await Expect.Problem(response, HttpStatusCode.BadRequest, "urn:ipsoutcomes:problem:validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty("predecessors", out _));
    }

    [Theory]
    [InlineData("""{"name":"x","role":3}""")]
    [InlineData("""{"name":"x","role":"3"}""")]
    public async Task ARoleIsNamedNeverNumbered(string body)
    {
        using var app = new TestApp();
        using var admin = app.Admin();
        var response = await admin.PostAsync("/api/v1/keys", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(1, Scalar(app, "SELECT COUNT(*) FROM api_keys"));
    }

    [Fact]
    public async Task OnlyTheCanonicalSpellingOfAKeyIsAccepted()
    {
        using var app = new TestApp();
        var secret = await app.IssueKeyAsync("national");
        var parts = secret.Split('_', 3);
        using var padded = app.ClientWithKey($"ipso_000{parts[1]}_{parts[2]}");
        await Expect.Problem(await padded.GetAsync("/api/v1/keys/current"), HttpStatusCode.Unauthorized, "urn:ipsoutcomes:problem:unauthorized");
        using var plus = app.ClientWithKey($"ipso_+{parts[1]}_{parts[2]}");
        await Expect.Problem(await plus.GetAsync("/api/v1/keys/current"), HttpStatusCode.Unauthorized, "urn:ipsoutcomes:problem:unauthorized");
        using var canonical = app.ClientWithKey(secret);
        await Expect.Status(await canonical.GetAsync("/api/v1/keys/current"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task ASubmissionsRowsAreCountsOfPeopleUnderThePublicationRules()
    {
        var (app, _, exactIcb) = await DatasetAsync();
        using (app)
        {
            using var icb = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO"));
            using var provider = app.ClientWithKey(await app.IssueKeyAsync("provider", "ORD01"));
            var mine = await provider.GetFromJsonAsync<JsonElement>("/api/v1/submissions/1");
            Assert.Equal(12, mine.GetProperty("row_count").GetInt32());
            Assert.True(mine.GetProperty("file_bytes").GetInt64() > 0);
            // 12 rows: 10 to an ICB key without the permission, and no file size to count them by; exact with it.
            foreach (var view in new[] { await icb.GetFromJsonAsync<JsonElement>("/api/v1/submissions/1"),
                         (await icb.GetFromJsonAsync<JsonElement>("/api/v1/submissions")).GetProperty("items")[0] })
            {
                Assert.Equal(10, view.GetProperty("row_count").GetInt32());
                Assert.Equal(10, view.GetProperty("rows_read").GetInt32());
                Assert.Equal(JsonValueKind.Null, view.GetProperty("file_bytes").ValueKind);
                Assert.Equal(JsonValueKind.Null, view.GetProperty("error_count").ValueKind); // 0: under 5
            }
            Assert.Equal(12, (await exactIcb.GetFromJsonAsync<JsonElement>("/api/v1/submissions/1")).GetProperty("row_count").GetInt32());
        }
    }

    [Fact]
    public async Task ExactFiguresInTheSummaryAreAudited()
    {
        var (app, _, icb) = await DatasetAsync();
        using (app)
        {
            await Expect.Status(await icb.GetAsync("/api/v1/indicators/summary?level=icb&code=QWO&disclosure=none"), HttpStatusCode.OK);
            Assert.Equal(1, Scalar(app, "SELECT COUNT(*) FROM audit_log WHERE action = 'indicators.exact_figures' AND target LIKE '%summary%'"));
        }
    }
}
