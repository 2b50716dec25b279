using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CsvHelper;
using IpsOutcomes.Fidelity;
using IpsOutcomes.Indicators;
using IpsOutcomes.Tests.Returns;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IpsOutcomes.Tests.Reliability;

/// <summary>The second attack's findings (issue 22), each as it was reproduced against the real service.</summary>
public sealed class HardeningTests
{
    private const string FidelityHeader = "provider_code,review_date,kind,reviewer,notes";

    /// <summary>A return with 7 bad genders and 3 bad ages: rejected, with one rule broken 7 times and another 3.</summary>
    private static async Task<(TestApp App, long Submission)> RejectedReturnAsync(Dictionary<string, string?>? settings = null)
    {
        var app = new TestApp(settings: settings);
        await app.RegisterProviderAsync("HRD01", "QWO");
        using var provider = app.ClientWithKey(await app.IssueKeyAsync("provider", "HRD01"));
        var rows = Enumerable.Range(1, 7).Select(i => ReturnKit.Row($"G{i}", ("gender", "7")))
            .Concat(Enumerable.Range(1, 3).Select(i => ReturnKit.Row($"A{i}", ("age_at_referral", "300"))))
            .Concat(Enumerable.Range(1, 4).Select(i => ReturnKit.Row($"OK{i}")));
        var submission = await ReturnKit.SubmitAsync(provider, "HRD01", "2025-03", ReturnKit.File([.. rows]));
        Assert.Equal("rejected", submission.GetProperty("status").GetString());
        return (app, submission.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task KeysWithoutThePermissionGetFindingsAsAPublishedSummaryPerRule()
    {
        var (app, id) = await RejectedReturnAsync();
        using var disposeApp = app;
        using var provider = app.ClientWithKey(await app.IssueKeyAsync("provider", "HRD01"));
        var truth = (await ReturnKit.FindingsAsync(provider, id)).Where(f => f.GetProperty("severity").GetString() == "error")
            .GroupBy(f => f.GetProperty("code").GetString()!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Contains(7, truth.Values);
        Assert.Contains(3, truth.Values);

        foreach (var (role, organisation) in new[] { ("icb", "QWO"), ("national", (string?)null) })
        {
            using var key = app.ClientWithKey(await app.IssueKeyAsync(role, organisation));
            var submission = await key.GetFromJsonAsync<JsonElement>($"/api/v1/submissions/{id}");
            Assert.Equal(10, submission.GetProperty("error_count").GetInt32()); // 10 errors, rounded: still 10
            var answer = await key.GetFromJsonAsync<JsonElement>($"/api/v1/submissions/{id}/findings?page_size=5000");
            Assert.False(answer.TryGetProperty("items", out _), $"{role}: no list of findings");
            Assert.False(answer.TryGetProperty("total", out _), $"{role}: no total that undoes the rounding");
            var rules = answer.GetProperty("rules").EnumerateArray().ToDictionary(r => r.GetProperty("code").GetString()!);
            foreach (var (code, count) in truth)
            {
                var rule = rules[code];
                Assert.Equal(DisclosureControl.SafeCount(count), rule.GetProperty("count")
                    .ValueKind == JsonValueKind.Null ? null : rule.GetProperty("count").GetInt64());
                Assert.Equal(count < 5, rule.GetProperty("suppressed").GetBoolean());
                Assert.False(rule.TryGetProperty("line", out _));
            }
            var csv = await key.GetStringAsync($"/api/v1/submissions/{id}/findings?format=csv");
            Assert.StartsWith("\uFEFFcode,severity,rule,count,suppressed", csv);
            Assert.DoesNotContain("G1", csv);
            Assert.DoesNotContain(",3,", csv); // the 3 is hidden, not shown
        }

        // The service's own key, admins and a key with the permission read the list; row values only the first two.
        using var icbExact = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO", unsuppressed: true));
        using var nationalExact = app.ClientWithKey(await app.IssueKeyAsync("national", unsuppressed: true));
        using var admin = app.Admin();
        foreach (var (client, values) in new[] { (provider, true), (admin, true), (icbExact, false), (nationalExact, false) })
        {
            var items = await ReturnKit.FindingsAsync(client, id);
            Assert.Equal(truth.Values.Sum(), items.Count(f => f.GetProperty("severity").GetString() == "error"));
            Assert.Equal(values, items.Any(f => f.GetProperty("referral_id").ValueKind == JsonValueKind.String));
            Assert.Equal(values, items.Any(f => f.GetProperty("value").ValueKind == JsonValueKind.String));
            var csv = await client.GetStringAsync($"/api/v1/submissions/{id}/findings?format=csv");
            Assert.Equal(values, csv.Contains(",G1,", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task QualityMarkFiguresAreExactOnlyWhenAskedForAndThenAudited()
    {
        using var app = new TestApp();
        await app.RegisterProviderAsync("HRD01", "QWO");
        using var permitted = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO", unsuppressed: true));
        using var national = app.ClientWithKey(await app.IssueKeyAsync("national", unsuppressed: true));
        using var plain = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO"));
        long Audited() => ReturnKit.Scalar(app, "SELECT COUNT(*) FROM audit_log WHERE action = @a", ("@a", IndicatorAccess.ExactFiguresAction));

        foreach (var path in new[] { "/api/v1/icbs/QWO/quality-mark", "/api/v1/providers/HRD01/quality-mark", "/api/v1/fidelity/outcomes" })
        {
            await Expect.Status(await permitted.GetAsync(path), HttpStatusCode.OK);
            Assert.Equal(0, Audited());
            await Expect.Problem(await plain.GetAsync(path + "?disclosure=none"), HttpStatusCode.Forbidden, "urn:ipsoutcomes:problem:forbidden");
            await Expect.Status(await permitted.GetAsync(path + "?disclosure=none"), HttpStatusCode.OK);
            Assert.Equal(1, Audited());
            ReturnKit.Scalar(app, "DELETE FROM audit_log WHERE action = @a", ("@a", IndicatorAccess.ExactFiguresAction));
        }
        await Expect.Status(await national.GetAsync("/api/v1/quality-mark"), HttpStatusCode.OK);
        Assert.Equal(0, Audited());
        await Expect.Status(await national.GetAsync("/api/v1/quality-mark?disclosure=none"), HttpStatusCode.OK);
        Assert.Equal(1, Audited());
    }

    /// <summary>Every CSV route whose answer can pass the writer's first buffer (64 KiB), downloaded to its end and parsed whole.</summary>
    [Fact]
    public async Task EveryLargeCsvArrivesWhole()
    {
        using var app = new TestApp();
        await app.RegisterProviderAsync("HRD01", "QWO");
        using var provider = app.ClientWithKey(await app.IssueKeyAsync("provider", "HRD01"));
        var rows = Enumerable.Range(1, 1500).Select(i => ReturnKit.Row($"R{i}", ("gender", "7")));
        var submission = await ReturnKit.SubmitAsync(provider, "HRD01", "2025-03", ReturnKit.File([.. rows]));
        using var icb = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO"));
        var answers = new Dictionary<string, (HttpClient Client, string Path)>
        {
            ["equality"] = (icb, "/api/v1/reports/equality?level=icb&code=QWO&period_type=month&from=2024-04&to=2025-03&breakdown=ethnic_category&format=csv"),
            ["indicators"] = (icb, "/api/v1/indicators?level=provider&within=QWO&period_type=month&from=2024-04&to=2025-03&breakdown=ethnic_category&format=csv"),
            ["findings"] = (provider, $"/api/v1/submissions/{submission.GetProperty("id").GetInt64()}/findings?format=csv"),
        };
        foreach (var (name, (client, path)) in answers)
        {
            var response = await client.GetAsync(path);
            await Expect.Status(response, HttpStatusCode.OK);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(text.Length > 64 * 1024, $"{name}: {text.Length:N0} characters is not past the first buffer");
            using var csv = new CsvReader(new StringReader(text), CultureInfo.InvariantCulture);
            csv.Read();
            csv.ReadHeader();
            var columns = csv.HeaderRecord!.Length;
            var count = 0;
            while (csv.Read())
            {
                Assert.Equal(columns, csv.Parser.Count);
                count++;
            }
            Assert.True(count > 100, $"{name}: {count} rows");
            Assert.EndsWith("\r\n", text);
        }
    }

    [Fact]
    public async Task BadInputIsAProblemNeverAFailure()
    {
        using var app = new TestApp();
        await app.RegisterProviderAsync("HRD01", "QWO");
        using var icb = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO"));
        foreach (var target in new[] { "NaN", "Infinity", "-Infinity" })
        {
            var problem = await Expect.Problem(await icb.GetAsync($"/api/v1/indicators/spc?level=provider&code=HRD01&indicators=employment_rate&target={target}"),
                HttpStatusCode.BadRequest, "urn:ipsoutcomes:problem:validation");
            Assert.True(problem.GetProperty("errors").TryGetProperty("target", out _));
        }
        await Expect.Problem(await icb.GetAsync("/api/v1/charts/spc.svg?level=provider&code=HRD01&indicators=accessed_vs_target_pct"),
            HttpStatusCode.NotFound, "urn:ipsoutcomes:problem:not-found");

        var items = string.Join(",", FidelityScale.Items.Select(i => i.Code));
        var scores = string.Join(",", FidelityScale.Items.Select(_ => "4"));
        var noReviewer = await icb.PostAsync("/api/v1/fidelity-reviews",
            new StringContent($"provider_code,review_date,kind,notes,{items}\nHRD01,2025-02-10,external,,{scores}\n", Encoding.UTF8, "text/csv"));
        var missing = await Expect.Problem(noReviewer, HttpStatusCode.UnprocessableEntity, "urn:ipsoutcomes:problem:fidelity-reviews-rejected");
        Assert.Contains(missing.GetProperty("findings").EnumerateArray(), f => f.GetProperty("column").GetString() == "reviewer");
        var shortRow = await icb.PostAsync("/api/v1/fidelity-reviews",
            new StringContent($"{FidelityHeader},{items}\nHRD01,2025-02-10,external\n", Encoding.UTF8, "text/csv"));
        var finding = (await Expect.Problem(shortRow, HttpStatusCode.UnprocessableEntity, "urn:ipsoutcomes:problem:fidelity-reviews-rejected"))
            .GetProperty("findings").EnumerateArray().Single();
        Assert.Equal((ReviewChecks.FileUnreadable, 2), (finding.GetProperty("code").GetString(), finding.GetProperty("line").GetInt32()));
        Assert.Equal(0, ReturnKit.Scalar(app, "SELECT COUNT(*) FROM fidelity_reviews"));

        // A look-alike slash (U+2215) in the address to go back to after signing in: home, not a failure or another site.
        using var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var form = await browser.GetStringAsync("/sign-in");
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;
        var signedIn = await browser.PostAsync("/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["key"] = app.BootstrapAdminKey,
            ["returnUrl"] = "/\u2215\u2215evil.example",
            ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/", signedIn.Headers.Location!.OriginalString);
        Assert.Contains(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("ips_session=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WrongKeysAreLimitedPerAddressAndAuditedOnceAMinute()
    {
        using var app = new TestApp(settings: new()
        {
            ["Security:FailedAuthenticationsPerMinute"] = "5",
            ["Security:AuthenticationFailureAuditSeconds"] = "1",
        });
        var good = app.BootstrapAdminKey;
        var statuses = new List<HttpStatusCode>();
        // Over HTTPS, where a key may be sent as HTTP Basic's password.
        HttpClient Client() => app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") });
        for (var i = 0; i < 12; i++)
        {
            using var client = Client();
            if (i % 2 == 0) client.DefaultRequestHeaders.Add("X-Api-Key", $"ipso_{i}_wrong");
            else client.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"bi:ipso_{i}_wrong")));
            var response = await client.GetAsync("/api/v1/indicators/catalogue");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal("60", response.Headers.RetryAfter!.ToString());
                await Expect.Problem(response, HttpStatusCode.TooManyRequests, "urn:ipsoutcomes:problem:too-many-requests");
            }
        }
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 5).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 7)),
            statuses);
        using var right = Client();
        right.DefaultRequestHeaders.Add("X-Api-Key", good);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await right.GetAsync("/api/v1/indicators/catalogue")).StatusCode); // this address waits a minute

        await Eventually.UntilAsync(() => ReturnKit.Scalar(app, "SELECT COUNT(*) FROM audit_log WHERE action = 'key.authentication_failed'") > 0,
            "the failed authentications to be audited", TimeSpan.FromSeconds(20));
        await Task.Delay(1500); // a second flush, if the first split the minute
        var details = new List<string>();
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(app.DataFolder, "ipsoutcomes.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT detail FROM audit_log WHERE action = 'key.authentication_failed'";
            using var reader = command.ExecuteReader();
            while (reader.Read()) details.Add(reader.GetString(0));
        }
        Assert.InRange(details.Count, 1, 2);
        int Sum(string name)
            => details.Sum(d => int.Parse(d.Split(' ').Single(p => p.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..],
            CultureInfo.InvariantCulture));
        Assert.Equal(5, Sum("failed"));
        Assert.Equal(8, Sum("throttled"));
    }

    [Fact]
    public async Task AnswersCarryTheHeadersAWebPageNeeds()
    {
        using var app = new TestApp(settings: new() { ["Security:TrustedProxies"] = "10.0.0.1" });
        using var client = app.CreateClient();
        var page = await client.GetAsync("/sign-in");
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        foreach (var directive in new[] { "default-src 'self'", "frame-ancestors 'none'", "form-action 'self'" }) Assert.Contains(directive, policy);
        Assert.DoesNotContain("unsafe-inline", policy);
        Assert.DoesNotContain("<script>", await page.Content.ReadAsStringAsync()); // no inline script for the policy to refuse
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.False(page.Headers.Contains("Strict-Transport-Security")); // plain HTTP

        using var icb = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO"));
        var chart = await icb.GetAsync("/api/v1/charts/trend.svg?level=icb&code=QWO&period_type=month&month=2025-03&indicators=accessed");
        await Expect.Status(chart, HttpStatusCode.OK);
        Assert.Equal("nosniff", chart.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("default-src 'none'", chart.Headers.GetValues("Content-Security-Policy").Single());

        using var secure = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") });
        Assert.StartsWith("max-age=", (await secure.GetAsync("/sign-in")).Headers.GetValues("Strict-Transport-Security").Single());

        // Behind the trusted proxy, its X-Forwarded-Proto makes the request HTTPS; from anyone else it is ignored.
        foreach (var (from, https) in new[] { ("10.0.0.1", true), ("10.0.0.2", false) })
        {
            var context = await app.Server.SendAsync(http =>
            {
                http.Connection.RemoteIpAddress = IPAddress.Parse(from);
                http.Request.Method = "GET";
                http.Request.Path = "/sign-in";
                http.Request.Headers["X-Forwarded-Proto"] = "https";
            });
            Assert.Equal(https, context.Response.Headers.ContainsKey("Strict-Transport-Security"));
        }
    }

    [Fact]
    public async Task HeadAnswersAsGetWithoutTheBody()
    {
        using var app = new TestApp();
        using var icb = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO"));
        foreach (var path in new[]
        {
            "/api/v1/indicators?level=icb&code=QWO&month=2025-03", "/api/v1/indicators/spine?level=icb&code=QWO&month=2025-03",
            "/api/v1/reports/equality?level=icb&code=QWO&month=2025-03", "/api/v1/charts/trend.svg?level=icb&code=QWO&period_type=month&month=2025-03&indicators=accessed",
        })
        {
            var get = await icb.GetAsync(path);
            await Expect.Status(get, HttpStatusCode.OK);
            var head = await icb.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
            await Expect.Status(head, HttpStatusCode.OK);
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
            Assert.Equal(get.Headers.ETag, head.Headers.ETag);
            Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
        }
    }

    [Theory]
    [InlineData("http://example.org/hook", false)]
    [InlineData("https://user:secret@example.org/hook", false)]
    [InlineData("https://127.0.0.1/hook", false)]
    [InlineData("https://10.1.2.3/hook", false)]
    [InlineData("https://[::1]/hook", false)]
    [InlineData("https://localhost:8443/hook", false)]
    [InlineData("https://receiver.localhost/hook", false)]
    [InlineData("https://example.org/hook", true)]
    public async Task AWebhookIsCheckedWhenItIsRegistered(string url, bool accepted)
    {
        using var app = new TestApp();
        using var icb = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO"));
        var response = await icb.PostAsJsonAsync("/api/v1/webhooks", new { url });
        if (accepted) await Expect.Status(response, HttpStatusCode.Created);
        else Assert.True((await Expect.Problem(response, HttpStatusCode.BadRequest, "urn:ipsoutcomes:problem:validation")).GetProperty("errors").TryGetProperty("url", out _));
    }

    /// <summary>What comparators, quartiles and the trend add is counted against the row budget, not only the rows answered.</summary>
    [Fact]
    public async Task TheRowBudgetCountsTheWorkComparatorsQuartilesAndTrendsAdd()
    {
        using var app = new TestApp(settings: new() { ["Indicators:MaxRows"] = "3000" });
        await app.RegisterProviderAsync("HRD01", "QWO");
        using var icb = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO"));
        const string asked = "/api/v1/indicators?level=provider&code=HRD01&period_type=month&from=2024-04&to=2025-03&breakdown=ethnic_group";
        await Expect.Status(await icb.GetAsync(asked), HttpStatusCode.OK); // 12 months x the indicators x 7 groups: under 3,000
        foreach (var more in new[] { "&compare=icb,region,england", "&quartile=true", "&trend=true&compare=icb" })
        {
            var problem = await Expect.Problem(await icb.GetAsync(asked + more), HttpStatusCode.BadRequest,
                IndicatorAccess.RequestTooLarge);
            Assert.Contains("comparators, quartiles or trend add", problem.GetProperty("detail").GetString());
            Assert.True(problem.GetProperty("rows").GetInt64() > 3000);
        }
    }

    /// <summary>A heavy request waits its turn behind the few allowed at once, and is told to come back if none comes; its answer is
    /// streamed.</summary>
    [Fact]
    public async Task HeavyRequestsTakeTurnsAndAreStreamed()
    {
        using var app = new TestApp(settings: new() { ["Indicators:HeavyRows"] = "1000", ["Indicators:HeavyWaitSeconds"] = "1" });
        await app.RegisterProviderAsync("HRD01", "QWO");
        using var icb = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO"));
        const string decade = "/api/v1/indicators?level=provider&within=QWO&period_type=month&from=2015-04&to=2025-03&breakdown=ethnic_category";
        var heavy = app.Services.GetRequiredService<IpsOutcomes.Infrastructure.HeavyRequests>();
        using (var taken = await heavy.EnterAsync(CancellationToken.None))
        {
            Assert.NotNull(taken);
            var busy = await icb.GetAsync(decade);
            await Expect.Problem(busy, HttpStatusCode.ServiceUnavailable, IpsOutcomes.Infrastructure.HeavyRequests.Busy);
            Assert.Equal("1", busy.Headers.RetryAfter!.ToString());
            // A light request does not wait behind it.
            await Expect.Status(await icb.GetAsync("/api/v1/indicators?level=icb&code=QWO&month=2025-03"), HttpStatusCode.OK);
        }
        var answer = await icb.GetAsync(decade, HttpCompletionOption.ResponseHeadersRead);
        await Expect.Status(answer, HttpStatusCode.OK);
        Assert.Null(answer.Content.Headers.ContentLength); // streamed as written, not built whole first
        using (var small = await icb.GetAsync("/api/v1/indicators?level=icb&code=QWO&month=2025-03", HttpCompletionOption.ResponseHeadersRead))
            Assert.NotNull(small.Content.Headers.ContentLength); // a small answer is bytes already written
        var rows = (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetArrayLength();
        Assert.True(rows > IndicatorResult.EncodingsKeptUpTo, $"{rows} rows");
        using var gzip = new HttpClient(new HttpClientHandlerWithGzip(app.Server.CreateHandler())) { BaseAddress = app.Server.BaseAddress };
        gzip.DefaultRequestHeaders.Add("X-Api-Key", await app.IssueKeyAsync("icb", "QWO"));
        var csv = await gzip.GetStringAsync(decade + "&format=csv");
        Assert.Equal(rows + 1, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    /// <summary>A flood of PNGs each at its own width is a few pictures, each drawn once.</summary>
    [Fact]
    public async Task PngWidthsAreRoundedUpToAFewSizes()
    {
        using var app = new TestApp();
        using var icb = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO"));
        const string chart = "/api/v1/charts/trend.png?level=icb&code=QWO&period_type=month&month=2025-03&indicators=accessed&width=";
        static int Width(byte[] png) => (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19];
        var pictures = await Task.WhenAll(new[] { 1001, 1002, 1024 }.Select(w => icb.GetByteArrayAsync(chart + w)));
        Assert.All(pictures, p => Assert.Equal(1024, Width(p)));
        Assert.Equal(1280, Width(await icb.GetByteArrayAsync(chart + "1025")));
        Assert.All(pictures, p => Assert.Equal(pictures[0], p));
        Assert.Equal(320, Width(await icb.GetByteArrayAsync(chart + "320")));
        Assert.Equal(4000, Width(await icb.GetByteArrayAsync(chart + "3999")));
    }

    /// <summary>Asks for gzip and decompresses, as a BI tool does.</summary>
    private sealed class HttpClientHandlerWithGzip(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.AcceptEncoding.ParseAdd("gzip");
            var response = await base.SendAsync(request, cancellationToken);
            Assert.Equal("gzip", response.Content.Headers.ContentEncoding.Single());
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            using var unzip = new System.IO.Compression.GZipStream(new MemoryStream(bytes),
                System.IO.Compression.CompressionMode.Decompress);
            var plain = new MemoryStream();
            await unzip.CopyToAsync(plain, cancellationToken);
            response.Content = new ByteArrayContent(plain.ToArray());
            return response;
        }
    }
}
