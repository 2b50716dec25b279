using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hangfire;
using IpsOutcomes.Fidelity;
using IpsOutcomes.Tests.Returns;
using Microsoft.Extensions.DependencyInjection;

namespace IpsOutcomes.Tests.Publications;

/// <summary>
/// Figures as published are exactly what the current figures were at the cut-off: every figure route is asked just before the
/// month's provisional publication is cut (by the real job, on schedule), then the data changes (a resubmission, a late return, a
/// review, new populations and targets, a new provider, a month later), and every route asked as published answers the same bytes.
/// </summary>
public sealed class AsPublishedTests
{
    private const string Publication = "2025-03-provisional";

    /// <summary>Every figure route, as a national analyst (exact) and an ICB analyst (published) would ask it.</summary>
    private static readonly string[] Asked =
    [
        "/api/v1/indicators?level=icb&code=QWO&period_type=month&from=2024-04&to=2025-03",
        "/api/v1/indicators?level=icb&code=QWO&period_type=quarter&from=2024-04&to=2025-03&breakdown=ethnic_group&format=csv",
        "/api/v1/indicators?level=provider&within=QWO&period_type=rolling12&month=2025-03&compare=icb,region,england&trend=true&quartile=true",
        "/api/v1/indicators?level=region&code=Y63&period_type=fytd&month=2025-03&breakdown=gender",
        "/api/v1/indicators?level=england&period_type=rolling12&from=2025-01&to=2025-03&breakdown=age_band",
        "/api/v1/indicators?level=icb&code=QWO&month=2025-03&indicators=accessed_vs_target_pct",
        "/api/v1/indicators/summary?level=icb&code=QWO",
        "/api/v1/coverage",
        "/api/v1/indicators/funnel?level=provider&period_type=rolling12&month=2025-03&indicators=employment_rate",
        "/api/v1/indicators/spc?level=icb&code=QWO&indicators=accessed&from=2024-04&to=2025-03",
        "/api/v1/indicators/spine?level=icb&code=QWO&month=2025-03",
        "/api/v1/indicators/spine?level=provider&code=PUB01",
        "/api/v1/reports/equality?level=icb&code=QWO&period_type=rolling12&month=2025-03",
        "/api/v1/reports/completeness?from=2024-10&to=2025-03",
        "/api/v1/reports/completeness?month=2025-03&format=csv&view=rates",
        "/api/v1/providers/PUB01/quality-mark",
        "/api/v1/icbs/QWO/quality-mark",
        "/api/v1/quality-mark",
        "/api/v1/fidelity/outcomes",
        "/api/v1/charts/trend.svg?level=icb&code=QWO&period_type=month&from=2024-04&to=2025-03&indicators=accessed",
        "/api/v1/charts/spc.svg?level=icb&code=QWO&indicators=accessed&from=2024-04&to=2025-03",
        "/api/v1/charts/league.svg?level=provider&within=QWO&period_type=rolling12&month=2025-03&indicators=employment_rate",
        "/api/v1/charts/funnel.svg?level=provider&period_type=rolling12&month=2025-03&indicators=employment_rate",
        "/api/v1/charts/forest.svg?level=icb&code=QWO&period_type=rolling12&month=2025-03",
        "/api/v1/charts/completeness.svg?from=2024-10&to=2025-03",
    ];

    [Fact]
    public async Task EveryFigureRouteAnswersAsPublishedWhatItAnsweredAtTheCutOff()
    {
        var clock = new TestClock(new DateTimeOffset(2025, 4, 20, 7, 0, 0, TimeSpan.Zero));
        using var app = new TestApp(clock: clock);
        var random = new Random(20261202);
        await FourServicesAsync(app, "PUB", random, 8);
        using var icbKey = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO"));
        await LoadReferenceDataAsync(icbKey, 400);
        await Expect.Status(await icbKey.PostAsJsonAsync("/api/v1/providers/PUB01/fidelity-reviews",
            new { review_date = "2025-02-10", kind = "external", scores = FidelityScale.Items.ToDictionary(i => i.Code, _ => 4) }), HttpStatusCode.OK);
        await Expect.Status(await icbKey.PutAsJsonAsync("/api/v1/providers/PUB01/quality-mark/start", new { start_date = "2023-06-01" }),
            HttpStatusCode.OK);
        using var national = app.ClientWithKey(await app.IssueKeyAsync("national", unsuppressed: true));
        using var nationalPublished = app.ClientWithKey(await app.IssueKeyAsync("national"));

        // Just before the cut-off, the current figures.
        var readers = new[] { ("national exact", national), ("national", nationalPublished), ("ICB", icbKey) };
        var before = new Dictionary<(string, string), (HttpStatusCode, string?, byte[])>();
        foreach (var (who, client) in readers)
            foreach (var asked in Asked)
                before[(who, asked)] = await ReadAsync(client, asked);
        // An ICB key may not read England's providers or the national view: refused then, refused as published.
        Assert.Equal(3, before.Count(b => b.Value.Item1 == HttpStatusCode.Forbidden && b.Key.Item1 == "ICB"));
        Assert.All(before.Where(b => b.Key.Item1 != "ICB"), b => Assert.True(b.Value.Item1 == HttpStatusCode.OK,
            $"{b.Key}: {b.Value.Item1} {Encoding.UTF8.GetString(b.Value.Item3)}"));

        // The provisional publication of March is cut on the 20th of April at 07:00, by the job server.
        clock.Now = new DateTimeOffset(2025, 4, 20, 7, 0, 5, TimeSpan.Zero);
        app.Services.GetRequiredService<IRecurringJobManager>().Trigger("publications");
        var cut = await CutAsync(national, Publication);
        await AllCutAsync(national);
        Assert.Equal("provisional", cut.GetProperty("kind").GetString());

        // Then the data moves on: a resubmission, a late return, another review, new reference data, a new provider, April.
        clock.Now = new DateTimeOffset(2025, 5, 2, 9, 0, 0, TimeSpan.Zero);
        await SubmitAsync(app, "PUB01", ReturnFile(random, "PUB01", 9));
        await SubmitAsync(app, "PUB03", ReturnFile(random, "PUB03", 3));
        await Expect.Status(await icbKey.PostAsJsonAsync("/api/v1/providers/PUB02/fidelity-reviews",
            new { review_date = "2025-03-12", kind = "external", scores = FidelityScale.Items.ToDictionary(i => i.Code, _ => 5) }), HttpStatusCode.OK);
        await LoadReferenceDataAsync(icbKey, 900);
        await app.RegisterProviderAsync("PUB05", "QWO");
        await SubmitAsync(app, "PUB05", ReturnFile(random, "PUB05", 4));

        var changed = 0;
        foreach (var (who, client) in readers)
            foreach (var asked in Asked)
            {
                var now = await ReadAsync(client, asked);
                if (!now.Item3.AsSpan().SequenceEqual(before[(who, asked)].Item3)) changed++;
                var separator = asked.Contains('?') ? '&' : '?';
                var published = await ReadAsync(client, $"{asked}{separator}publication={Publication}");
                if (before[(who, asked)].Item1 == HttpStatusCode.Forbidden)
                {
                    Assert.Equal(HttpStatusCode.Forbidden, published.Item1);
                    continue;
                }
                Assert.True(published.Item1 == HttpStatusCode.OK, $"{who} {asked} as published: {published.Item1} {Encoding.UTF8.GetString(published.Item3)}");
                Assert.Equal(before[(who, asked)].Item2, published.Item2);
                Assert.True(before[(who, asked)].Item3.AsSpan().SequenceEqual(published.Item3),
                    $"{who} {asked} as published differs from what it answered at the cut-off:\n{Encoding.UTF8.GetString(before[(who, asked)].Item3)}\n---\n{Encoding.UTF8.GetString(published.Item3)}");
            }
        // The test can fail: most current answers moved on.
        Assert.True(changed > Asked.Length, $"only {changed} current answers changed after the cut-off");
    }

    [Fact]
    public async Task AnAnswerAsPublishedNamesItsPublicationAndNeverChanges()
    {
        var clock = new TestClock(new DateTimeOffset(2025, 4, 10, 9, 0, 0, TimeSpan.Zero));
        using var app = new TestApp(clock: clock);
        await app.RegisterProviderAsync("PUB01", "QWO");
        await SubmitAsync(app, "PUB01", ReturnFile(new Random(1), "PUB01", 6));
        using var admin = app.Admin();
        var planned = await admin.PostAsJsonAsync("/api/v1/publications", new { name = "board-april", month = "2025-03" });
        await Expect.Status(planned, HttpStatusCode.Accepted);
        var cut = await CutAsync(admin, "board-april");
        Assert.Equal(("extra", "2025-03"), (cut.GetProperty("kind").GetString(), cut.GetProperty("month").GetString()));

        const string asked = "/api/v1/indicators?level=icb&code=QWO&month=2025-03&publication=board-april";
        var first = await admin.GetAsync(asked);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("board-april", first.Headers.GetValues("X-Publication").Single());
        Assert.Equal("extra", first.Headers.GetValues("X-Publication-Kind").Single());
        Assert.Contains("immutable", first.Headers.CacheControl!.ToString());
        await SubmitAsync(app, "PUB01", ReturnFile(new Random(2), "PUB01", 7));
        var again = await admin.GetAsync(asked);
        Assert.Equal(first.Headers.ETag, again.Headers.ETag);
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await again.Content.ReadAsByteArrayAsync());
        using var conditional = new HttpRequestMessage(HttpMethod.Get, asked);
        conditional.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await admin.SendAsync(conditional)).StatusCode);

        // as_at= finds the latest publication cut by then; refusals are problems.
        var byMoment = await admin.GetAsync("/api/v1/indicators?level=icb&code=QWO&month=2025-03&as_at=2025-04-30");
        Assert.Equal("board-april", byMoment.Headers.GetValues("X-Publication").Single());
        await Expect.Problem(await admin.GetAsync("/api/v1/indicators?level=icb&code=QWO&as_at=2025-04-01"), HttpStatusCode.NotFound, "urn:ipsoutcomes:problem:not-found");
        await Expect.Problem(await admin.GetAsync("/api/v1/indicators?level=icb&code=QWO&publication=nope"), HttpStatusCode.NotFound, "urn:ipsoutcomes:problem:not-found");
        await Expect.Problem(await admin.GetAsync("/api/v1/indicators?level=icb&code=QWO&publication=board-april&as_at=2025-04-30"),
            HttpStatusCode.BadRequest, "urn:ipsoutcomes:problem:bad-request");
        await Expect.Problem(await admin.GetAsync("/api/v1/submissions?publication=board-april"), HttpStatusCode.BadRequest, "urn:ipsoutcomes:problem:bad-request");
        await Expect.Problem(await admin.PostAsJsonAsync("/api/v1/publications", new { name = "board-april" }), HttpStatusCode.Conflict, "urn:ipsoutcomes:problem:conflict");
        await Expect.Problem(await admin.PostAsJsonAsync("/api/v1/publications", new { name = "Bad Name" }), HttpStatusCode.BadRequest, "urn:ipsoutcomes:problem:validation");
        using var icb = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO"));
        await Expect.Problem(await icb.PostAsJsonAsync("/api/v1/publications", new { name = "mine" }), HttpStatusCode.Forbidden, "urn:ipsoutcomes:problem:forbidden");
    }

    [Fact]
    public async Task PastItsRetentionAPublicationsRowLevelStateGoesAndItsFiguresStay()
    {
        var clock = new TestClock(new DateTimeOffset(2025, 4, 1, 9, 0, 0, TimeSpan.Zero));
        using var app = new TestApp(clock: clock, settings: new() { ["Publications:RowDataRetentionDays"] = "30" });
        await app.RegisterProviderAsync("PUB01", "QWO");
        await SubmitAsync(app, "PUB01", ReturnFile(new Random(1), "PUB01", 6));
        using var admin = app.Admin();
        foreach (var (name, days) in new[] { ("old", 0), ("recent", 20) })
        {
            clock.Now = clock.Now.AddDays(days);
            if (days > 0) await SubmitAsync(app, "PUB01", ReturnFile(new Random(2), "PUB01", 7)); // another state of the referrals
            await Expect.Status(await admin.PostAsJsonAsync("/api/v1/publications", new { name, month = "2025-03" }), HttpStatusCode.Accepted);
            await CutAsync(admin, name);
        }
        Assert.Equal(2, ReturnKit.Scalar(app, "SELECT COUNT(*) FROM frozen_referrals"));

        // 35 days after the first cut, 15 after the second: the hourly job deletes what only the first holds.
        clock.Now = clock.Now.AddDays(15);
        app.Services.GetRequiredService<IRecurringJobManager>().Trigger("publications");
        await Eventually.UntilAsync(() => ReturnKit.Scalar(app, "SELECT COUNT(*) FROM audit_log WHERE action = 'publication.rows_purged'") == 1,
            "the first publication's row-level state to be deleted");
        await AllCutAsync(admin);
        Assert.Equal(1, ReturnKit.Scalar(app, "SELECT COUNT(*) FROM frozen_referrals"));

        await Expect.Problem(await admin.GetAsync("/api/v1/indicators?level=icb&code=QWO&month=2025-03&publication=old"), HttpStatusCode.Gone,
            "urn:ipsoutcomes:problem:410");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/publications/old/figures.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/indicators?level=icb&code=QWO&month=2025-03&publication=recent")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/publications/recent/revisions?against=old")).StatusCode);
    }

    /// <summary>The publication once the job server has cut it.</summary>
    internal static Task<JsonElement> CutAsync(HttpClient client, string name) =>
        Eventually.UntilAsync(async () =>
            {
                var response = await client.GetAsync($"/api/v1/publications/{name}");
                return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : default;
            },
            p => p.ValueKind == JsonValueKind.Object && p.GetProperty("cut_off").ValueKind == JsonValueKind.String, $"publication {name} to be cut");

    /// <summary>Once the job server has cut every publication it planned (a schedule may plan two at once), so that the clock may
    /// move on.</summary>
    internal static Task AllCutAsync(HttpClient client) =>
        Eventually.UntilAsync(async () => (await client.GetFromJsonAsync<JsonElement>("/api/v1/publications")).EnumerateArray()
            .All(p => p.GetProperty("cut_off").ValueKind == JsonValueKind.String), "every planned publication to be cut");

    private static async Task<(HttpStatusCode, string?, byte[])> ReadAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        return (response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>Four services, {prefix}01 to 03 in West Yorkshire and 04 in South Yorkshire; all but the third send March's
    /// return.</summary>
    internal static async Task FourServicesAsync(TestApp app, string prefix, Random random, int perMonth)
    {
        foreach (var (number, icb) in new[] { (1, "QWO"), (2, "QWO"), (3, "QWO"), (4, "QF7") })
            await app.RegisterProviderAsync($"{prefix}0{number}", icb);
        foreach (var number in new[] { 1, 2, 4 })
            await SubmitAsync(app, $"{prefix}0{number}", ReturnFile(random, $"{prefix}0{number}", perMonth));
    }

    /// <summary>Sends a service's March return as its own key, and waits for it to be accepted.</summary>
    internal static async Task SubmitAsync(TestApp app, string provider, string file)
    {
        using var client = app.ClientWithKey(await app.IssueKeyAsync("provider", provider));
        var submission = await ReturnKit.SubmitAsync(client, provider, "2025-03", file);
        Assert.Equal("accepted", submission.GetProperty("status").GetString());
    }

    private static async Task LoadReferenceDataAsync(HttpClient icb, int white)
    {
        var populations = "organisation_code,financial_year,group,count\n" + string.Join("\n",
            from organisation in new[] { "QWO", "PUB01", "PUB02" }
            from year in new[] { "2023-24", "2024-25" }
            from g in new[] { ("white", white), ("mixed", 40), ("asian", 120), ("black", 60), ("other", 30) }
            select $"{organisation},{year},{g.Item1},{g.Item2}") + "\n";
        await Expect.Status(await icb.PostAsync("/api/v1/reference/populations", new StringContent(populations, Encoding.UTF8, "text/csv")),
            HttpStatusCode.OK);
        await Expect.Status(await icb.PostAsync("/api/v1/reference/access-targets",
            new StringContent($"icb_code,financial_year,target\nQWO,2024-25,{white / 4}\n", Encoding.UTF8, "text/csv")), HttpStatusCode.OK);
    }

    /// <summary>A service's March return: about <paramref name="perMonth"/> referrals a month over 2024-25.</summary>
    internal static string ReturnFile(Random random, string provider, int perMonth)
    {
        var end = new DateOnly(2025, 3, 31);
        var categories = new[] { "A", "A", "B", "C", "H", "J", "M", "N", "R", "Z" };
        var rows = new List<string>();
        for (var month = new DateOnly(2024, 4, 1); month <= end; month = month.AddMonths(1))
            for (var i = 0; i < random.Next(perMonth / 2, perMonth + 2); i++)
            {
                var referred = month.AddDays(random.Next(0, 28));
                DateOnly? Within(DateOnly? from, int days) =>
                    from is { } f && f.AddDays(days) <= end ? f.AddDays(random.Next(0, days)) : null;
                var contact = random.Next(4) == 0 ? null : Within(referred, 40);
                var job = random.Next(3) == 0 ? Within(contact, 90) : null;
                string D(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
                rows.Add(ReturnKit.Row($"{provider}-{month:yyMM}-{i}", ("referral_date", D(referred)),
                    ("ethnic_category", categories[random.Next(categories.Length)]), ("gender", random.Next(1, 3).ToString(CultureInfo.InvariantCulture)),
                    ("age_at_referral", random.Next(18, 70).ToString(CultureInfo.InvariantCulture)), ("first_contact_date", D(contact)),
                    ("job_1_start_date", D(job)), ("job_1_hours_per_week", job is null ? "" : "20"), ("job_1_type", job is null ? "" : "competitive")));
            }
        return ReturnKit.Header + "\n" + string.Join("\n", rows) + "\n";
    }
}
