using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IpsOutcomes.Fidelity;
using Microsoft.Extensions.DependencyInjection;
using static IpsOutcomes.Tests.Returns.ReturnKit;

namespace IpsOutcomes.Tests.Fidelity;

/// <summary>
/// Reviews and readiness through HTTP on a real service: a provider with 12 months of accepted returns, 45% into work,
/// every ethnicity recorded and its population loaded becomes ready when a good external review is recorded, and its
/// ICB's webhook is told once.
/// </summary>
public class QualityMarkTests
{
    private static string Header => "provider_code,review_date,kind,reviewer," + string.Join(",", FidelityScale.Items.Select(i => i.Code));

    private static string CsvRow(string provider, string date, int score, Func<string, int>? scores = null) =>
        $"{provider},{date},external,IPS Grow," + string.Join(",", FidelityScale.Items.Select(i => scores?.Invoke(i.Code) ?? score));

    private static StringContent Csv(params string[] rows) => new(string.Join("\n", [Header, .. rows]) + "\n", Encoding.UTF8, "text/csv");

    /// <summary>Twelve monthly returns to March 2025, each holding every referral so far: 10 a month, 5 in 10 of each month's into
    /// work.</summary>
    private static async Task<(string Code, HttpClient Client)> ServiceWithAYearOfReturnsAsync(TestApp app)
    {
        var (code, client) = await ProviderAsync(app);
        var rows = new List<string>();
        string[] categories = ["A", "A", "B", "H", "M"];
        for (var month = 0; month < 12; month++)
        {
            var start = new DateOnly(2024, 4, 1).AddMonths(month);
            for (var i = 0; i < 10; i++)
            {
                var referral = start.AddDays(i);
                var employed = i % 2 == 0 && month < 11;
                rows.Add(Row($"Q{month:00}{i}", ("referral_date", $"{referral:yyyy-MM-dd}"), ("first_contact_date", $"{referral.AddDays(5):yyyy-MM-dd}"),
                    ("ethnic_category", categories[i % categories.Length]),
                    ("job_1_start_date", employed ? $"{referral.AddDays(15):yyyy-MM-dd}" : ""), ("job_1_type", employed ? "competitive" : "")));
            }
            var accepted = await SubmitAsync(client, code, $"{start:yyyy-MM}", File([.. rows]));
            Assert.Equal("accepted", accepted.GetProperty("status").GetString());
        }
        return (code, client);
    }

    [Fact]
    public async Task AProviderBecomesReadyWhenAGoodReviewIsRecordedAndItsIcbIsToldOnce()
    {
        using var app = new TestApp(settings: new() { ["Webhooks:AllowPrivateAddresses"] = "true" },
            clock: new TestClock(new DateTimeOffset(2025, 4, 10, 9, 0, 0, TimeSpan.Zero)));
        var (code, _) = await ServiceWithAYearOfReturnsAsync(app);
        using var icb = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO"));
        await Expect.Status(await icb.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://127.0.0.1:9/hook" }), HttpStatusCode.Created);
        (await icb.PostAsync("/api/v1/reference/populations", new StringContent(
            $"organisation_code,financial_year,group,count\n{code},2024-25,white,300\n{code},2024-25,asian,100\n{code},2024-25,black,100\n",
            Encoding.UTF8, "text/csv"))).EnsureSuccessStatusCode();

        var before = await icb.GetFromJsonAsync<JsonElement>($"/api/v1/providers/{code}/quality-mark");
        var readiness = before.GetProperty("readiness");
        Assert.False(readiness.GetProperty("ready").GetBoolean());
        Assert.Equal(["fidelity", "integration", "employer_engagement"], readiness.GetProperty("missing").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(100, before.GetProperty("thresholds").GetProperty("fidelity_total").GetInt32());

        // A good external review (23 × 4 + 2 × 5 = 102): ready, announced once by the background check.
        var recorded = await icb.PostAsync("/api/v1/fidelity-reviews", Csv(CsvRow(code, "2025-02-10", 4, item => item is "S1" or "S2" ? 5 : 4)));
        Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
        var ready = await WaitForAsync(icb, code, r => r.GetProperty("ready").GetBoolean());
        Assert.Empty(ready.GetProperty("missing").EnumerateArray());
        Assert.Equal("good", ready.GetProperty("latest_band").GetString());
        await WaitForAnnouncementAsync(app, code);
        Assert.Equal(1, Scalar(app, "SELECT COUNT(*) FROM webhook_deliveries WHERE event_type = 'quality_mark.readiness_changed'"));
        Assert.Equal(1, Scalar(app, "SELECT COUNT(*) FROM webhook_deliveries WHERE event_type = 'fidelity.review_recorded'"));

        // The same review again replaces it (audited); still ready, so nothing more is announced.
        var again = await (await icb.PostAsync("/api/v1/fidelity-reviews", Csv(CsvRow(code, "2025-02-10", 5)))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((0, 1), (again.GetProperty("recorded").GetInt32(), again.GetProperty("replaced").GetInt32()));
        Assert.Equal(125, again.GetProperty("reviews")[0].GetProperty("total").GetInt32());
        await app.Services.GetRequiredService<QualityMarkJob>().CheckAsync(null, CancellationToken.None);
        Assert.Equal(1, Scalar(app, "SELECT COUNT(*) FROM webhook_deliveries WHERE event_type = 'quality_mark.readiness_changed'"));
        Assert.Equal(1, Scalar(app, "SELECT COUNT(*) FROM audit_log WHERE action = 'fidelity.review_replaced'"));

        // Fidelity beside outcomes: one provider, so no correlation yet; its rate (published: 45% of 55) reaches 43%.
        var outcomes = await icb.GetFromJsonAsync<JsonElement>("/api/v1/fidelity/outcomes");
        Assert.Equal(125, outcomes.GetProperty("providers")[0].GetProperty("total").GetInt32());
        Assert.Equal(JsonValueKind.Null, outcomes.GetProperty("correlation").GetProperty("rho").ValueKind);
        Assert.Equal(1, outcomes.GetProperty("good_or_better").GetProperty("at_least_43").GetInt32());

        // The ICB's view and England's count it.
        var view = await icb.GetFromJsonAsync<JsonElement>("/api/v1/icbs/QWO/quality-mark");
        Assert.Equal(1, view.GetProperty("counts").GetProperty("ready").GetInt32());
        using var national = app.ClientWithKey(await app.IssueKeyAsync("national"));
        var england = await national.GetFromJsonAsync<JsonElement>("/api/v1/quality-mark");
        Assert.Equal(1, england.GetProperty("england").GetProperty("ready").GetInt32());
        Assert.Equal(HttpStatusCode.Forbidden, (await icb.GetAsync("/api/v1/quality-mark")).StatusCode);
    }

    [Fact]
    public async Task AFileWithAnyErrorRecordsNothingAndAProviderRecordsOnlyItsOwnSelfReviews()
    {
        using var app = new TestApp(clock: new TestClock(new DateTimeOffset(2025, 4, 10, 9, 0, 0, TimeSpan.Zero)));
        var (code, provider) = await ProviderAsync(app);
        using var icb = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO"));

        var refused = await icb.PostAsync("/api/v1/fidelity-reviews", Csv(CsvRow(code, "2025-02-10", 4), CsvRow(code, "2025-03-10", 9)));
        var problem = await Expect.Problem(refused, HttpStatusCode.UnprocessableEntity, "urn:ipsoutcomes:problem:fidelity-reviews-rejected");
        var finding = problem.GetProperty("findings").EnumerateArray().First();
        Assert.Equal(("FR08", 3), (finding.GetProperty("code").GetString(), finding.GetProperty("line").GetInt32()));
        Assert.Equal(0, Scalar(app, "SELECT COUNT(*) FROM fidelity_reviews"));

        var external = await provider.PostAsJsonAsync($"/api/v1/providers/{code}/fidelity-reviews",
            new { review_date = "2025-02-10", kind = "external", scores = FidelityScale.Items.ToDictionary(i => i.Code, _ => 4) });
        Assert.Equal(HttpStatusCode.BadRequest, external.StatusCode);
        var self = await provider.PostAsJsonAsync($"/api/v1/providers/{code}/fidelity-reviews",
            new { review_date = "2025-02-10", kind = "self", scores = FidelityScale.Items.ToDictionary(i => i.Code, _ => 3) });
        Assert.Equal(HttpStatusCode.OK, self.StatusCode);
        var history = await provider.GetFromJsonAsync<JsonElement>($"/api/v1/providers/{code}/fidelity-reviews");
        Assert.Equal((75, "fair"), (history[0].GetProperty("total").GetInt32(), history[0].GetProperty("band").GetString()));

        using var other = app.ClientWithKey(await app.IssueKeyAsync("icb", "QOP"));
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync($"/api/v1/providers/{code}/fidelity-reviews")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsJsonAsync($"/api/v1/providers/{code}/fidelity-reviews",
            new { review_date = "2025-02-10", kind = "external", scores = FidelityScale.Items.ToDictionary(i => i.Code, _ => 4) })).StatusCode);

        // The start date moves the deadline: three years on, due within six months once it is that close.
        var start = await (await icb.PutAsJsonAsync($"/api/v1/providers/{code}/quality-mark/start", new { start_date = "2022-06-01" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("2025-06-01", "due_within_6_months"),
            (start.GetProperty("readiness").GetProperty("deadline").GetString(), start.GetProperty("readiness").GetProperty("deadline_state").GetString()));
    }

    /// <summary>
    /// By attack: a service of 3 people, 2 of them into work. Its employment rate is too small to publish, so its job
    /// outcome must not be judged met (which would say that 2 or 3 got jobs) for a key that may not see it exact.
    /// </summary>
    [Fact]
    public async Task ReadinessSaysNoMoreThanThePublishedFigures()
    {
        using var app = new TestApp(clock: new TestClock(new DateTimeOffset(2025, 4, 10, 9, 0, 0, TimeSpan.Zero)));
        var (code, provider) = await ProviderAsync(app);
        await SubmitAsync(provider, code, "2025-03", File(Enumerable.Range(1, 3).Select(i => Row($"T{i}", ("referral_date", "2025-01-06"),
            ("first_contact_date", "2025-01-10"), ("job_1_start_date", i <= 2 ? "2025-02-03" : ""), ("job_1_type", i <= 2 ? "competitive" : ""))).ToArray()));

        using var icb = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO"));
        var safe = (await icb.GetFromJsonAsync<JsonElement>($"/api/v1/providers/{code}/quality-mark")).GetProperty("readiness");
        var jobs = safe.GetProperty("criteria").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "job_outcomes");
        Assert.Equal("no_data", jobs.GetProperty("state").GetString());
        Assert.DoesNotContain("66", jobs.GetProperty("evidence").GetString());

        // The service's own key sees its own figures exact, and its job outcome judged on them.
        var own = (await provider.GetFromJsonAsync<JsonElement>($"/api/v1/providers/{code}/quality-mark")).GetProperty("readiness");
        Assert.Equal("met", own.GetProperty("criteria").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "job_outcomes")
            .GetProperty("state").GetString());
    }

    private static async Task<JsonElement> WaitForAsync(HttpClient client, string code, Func<JsonElement, bool> until)
    {
        return await Eventually.UntilAsync(async () => (await client.GetFromJsonAsync<JsonElement>($"/api/v1/providers/{code}/quality-mark")).GetProperty("readiness"),
            until, $"{code}'s readiness to change", TimeSpan.FromSeconds(10), everyMs: 100);
    }

    private static async Task WaitForAnnouncementAsync(TestApp app, string code)
    {
        await Eventually.UntilAsync(() => Scalar(app, "SELECT COUNT(*) FROM quality_mark_readiness WHERE provider_code = @code AND ready = 1", ("code", code)) > 0,
            $"{code}'s readiness to be announced", TimeSpan.FromSeconds(20), everyMs: 100);
    }
}
