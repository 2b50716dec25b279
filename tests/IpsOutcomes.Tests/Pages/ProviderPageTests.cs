using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using IpsOutcomes.Tests.Infrastructure;
using IpsOutcomes.Tests.Returns;
using Microsoft.Playwright;

namespace IpsOutcomes.Tests.Pages;

/// <summary>An IPS team leader's pages, driven in Chromium as a person would use them, each checked with axe.</summary>
public sealed partial class ProviderPageTests(PagesFixture pages) : IClassFixture<PagesFixture>
{
    [BrowserFact]
    public async Task ATeamLeaderSignsInChecksSendsAndReadsWhatToFix()
    {
        var page = await pages.NewPageAsync();
        await page.GotoAsync("/");
        Assert.Contains("/sign-in", page.Url);
        await Browser.CheckAsync(page, "01-sign-in");

        await PagesFixture.SignInAsync(page, pages.ProviderKey);
        Assert.Equal("PG001 IPS service", (await page.TextContentAsync("h1"))?.Trim());
        Assert.Contains("PG001 IPS service", await page.TextContentAsync("[data-testid=signed-in-as]"));
        Assert.Equal(12, await page.Locator("[data-testid=months] tbody tr").CountAsync());
        Assert.Contains("Not sent yet", await page.TextContentAsync("[data-testid=this-month]"));
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "ips_session");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Lax, cookie.SameSite);
        await Browser.CheckAsync(page, "02-home-provider");

        await page.ClickAsync("a.nhsuk-header__navigation-link:has-text('Send a return')");
        Assert.Equal("2025-03", await page.InputValueAsync("#period"));
        await Browser.CheckAsync(page, "03-send");

        // Check only: the verdict and the findings, and nothing stored.
        var before = await pages.SubmissionCountAsync();
        await page.SetInputFilesAsync("#file", PagesFixture.Sample("return-with-errors-2025-03.csv"));
        await page.ClickAsync("button:has-text('Check only')");
        await page.WaitForSelectorAsync("[data-testid=verdict]");
        Assert.Contains("would be rejected", await page.TextContentAsync("[data-testid=verdict]"));
        Assert.True(await page.Locator("[data-testid=findings] tbody tr").CountAsync() > 0);
        Assert.Equal(before, await pages.SubmissionCountAsync());
        await Browser.CheckAsync(page, "04-check-only");

        // Send: the upload's progress, the checking's, then the verdict in words.
        await SendAsync(page, "valid-return-2025-03.csv");
        Assert.Contains("Your March 2025 return was accepted", await page.TextContentAsync("[data-testid=verdict]"));
        await Browser.CheckAsync(page, "05-submission-accepted");

        await SendAsync(page, "return-with-errors-2025-03.csv");
        Assert.Contains("was rejected", await page.TextContentAsync("[data-testid=verdict]"));
        var rows = await page.Locator("[data-testid=findings] tbody tr").CountAsync();
        Assert.True(rows > 1);
        await Browser.CheckAsync(page, "06-submission-rejected");

        // Filter by severity and by rule.
        await page.SelectOptionAsync("#severity", "warning");
        await page.ClickAsync("button:has-text('Filter')");
        var severities = await page.Locator("[data-testid=findings] tbody .nhsuk-tag").AllTextContentsAsync();
        Assert.NotEmpty(severities);
        Assert.All(severities, s => Assert.Equal("Warning", s.Trim()));
        var firstRule = (await page.Locator("#rule option").AllAsync()).Count > 1 ? await page.Locator("#rule option").Nth(1).GetAttributeAsync("value") : null;
        Assert.NotNull(firstRule);
        await page.SelectOptionAsync("#severity", "");
        await page.SelectOptionAsync("#rule", firstRule!);
        await page.ClickAsync("button:has-text('Filter')");
        Assert.All(await page.Locator("[data-testid=findings] tbody td:first-child a").AllTextContentsAsync(), code => Assert.Equal(firstRule, code.Trim()));

        // The findings as CSV, then a rule's explanation.
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("text=Download all the findings (CSV)"));
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.StartsWith("line,severity,code,column,referral_id,value,message", csv.TrimStart('\uFEFF'));
        await page.ClickAsync($"[data-testid=findings] a:has-text('{firstRule}')");
        Assert.EndsWith($"/rules/{firstRule}", page.Url);
        Assert.False(string.IsNullOrWhiteSpace(await page.TextContentAsync("[data-testid=fix]")));
        await Browser.CheckAsync(page, "07-rule");

        await page.GotoAsync("/submissions");
        Assert.True(await page.Locator("[data-testid=submissions] tbody tr").CountAsync() >= 2);
        await Browser.CheckAsync(page, "08-submissions");

        await page.GotoAsync("/our-figures");
        Assert.Equal(10, await page.Locator("[data-testid=figures] tbody tr").CountAsync());
        Assert.Equal(4, await page.Locator("figure[data-chart] svg.chart-svg").CountAsync());
        await Browser.CheckAsync(page, "09-our-figures");

        await page.ClickAsync("a.nhsuk-header__navigation-link:has-text('Fidelity')");
        await page.WaitForURLAsync(url => url.EndsWith("/fidelity", StringComparison.Ordinal));
        Assert.Contains("No fidelity review has been recorded", await page.TextContentAsync("main"));
        await Browser.CheckAsync(page, "09-fidelity");

        await page.GotoAsync("/rules");
        await Browser.CheckAsync(page, "10-rules");

        // The keyboard: the first Tab reaches the skip link, which moves to the main content.
        await page.GotoAsync("/");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to main content", (await page.EvaluateAsync<string>("document.activeElement.textContent"))?.Trim());
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("maincontent", await page.EvaluateAsync<string>("document.activeElement.id"));
        Assert.True(ReturnKit.Scalar(pages.App, "SELECT COUNT(*) FROM audit_log WHERE action = 'session.signed_in' AND key_name = 'PG001 team leader'") >= 1);
    }

    [BrowserFact]
    public async Task AnIcbKeySeesItsServicesReturnsButNotTheirRowValues()
    {
        // A rejected return of another of the ICB's services, sent through the API.
        await pages.App.RegisterProviderAsync("PG002", PagesFixture.IcbCode);
        using (var provider = pages.App.ClientWithKey(await pages.App.IssueKeyAsync("provider", "PG002")))
        {
            var csv = new ByteArrayContent(await File.ReadAllBytesAsync(PagesFixture.Sample("return-with-errors-2025-03.csv")));
            csv.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
            var sent = await provider.PostAsync("/api/v1/providers/PG002/returns/2025-03", csv);
            Assert.True(sent.IsSuccessStatusCode, sent.StatusCode.ToString());
            var self = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("self").GetString();
            await Eventually.UntilAsync(async () => (await provider.GetFromJsonAsync<JsonElement>(self)).GetProperty("status").GetString(),
                status => status is not ("queued" or "validating"), "PG002's return to be decided");
        }

        var page = await pages.NewPageAsync();
        await PagesFixture.SignInAsync(page, pages.IcbKey);
        Assert.Equal(0, await page.Locator("a:has-text('Send a return')").CountAsync());
        await Browser.CheckAsync(page, "15-home-icb");
        await page.GotoAsync("/send-a-return");
        Assert.Contains("/error/403", page.Url);

        await page.GotoAsync("/submissions");
        await Browser.CheckAsync(page, "16-submissions-icb");
        await page.Locator("[data-testid=submissions] tbody a").First.ClickAsync();
        // Without the permission: how often each rule failed, as published (fewer than 5, or rounded), never a line or a value.
        Assert.True(await page.Locator("[data-testid=rule-summary] tbody tr").CountAsync() > 0);
        Assert.Equal(0, await page.Locator("[data-testid=findings]").CountAsync());
        Assert.Equal(0, await page.Locator("select#rule").CountAsync());
        Assert.DoesNotContain("31/02/2025", await page.ContentAsync());
        await Browser.CheckAsync(page, "17-submission-icb");
    }

    /// <summary>Sends a sample through the page, with its progress bars, and waits for the submission's page.</summary>
    private static async Task SendAsync(IPage page, string sample)
    {
        await page.GotoAsync("/send-a-return");
        await page.SetInputFilesAsync("#file", PagesFixture.Sample(sample));
        await page.ClickAsync("button:has-text('Send')");
        await page.WaitForURLAsync(new Regex(@"/submissions/\d+$"));
    }

    [BrowserFact]
    public async Task WithoutJavaScriptTheFormPostsAndTheResultRefreshesItselfUntilDecided()
    {
        var page = await pages.NewPageAsync(javaScript: false);
        await PagesFixture.SignInAsync(page, pages.ProviderKey);
        await page.GotoAsync("/send-a-return");
        await page.SetInputFilesAsync("#file", PagesFixture.Sample("excel-saved-return-2025-03.csv"));
        await page.ClickAsync("button:has-text('Send')");
        Assert.True(Regex.IsMatch(page.Url, @"/submissions/\d+"), await page.TextContentAsync("main"));
        // The page's own refresh brings the verdict; nothing here reloads it.
        await page.WaitForSelectorAsync("[data-testid=verdict]:has-text('was accepted')", new() { Timeout = 60_000 });
        // axe runs as a script, so this page is only photographed; the same page with scripts on is checked above.
        await Browser.ScreenshotAsync(page, "11-submission-without-javascript");
    }

    [BrowserFact]
    public async Task EveryRefusalSaysWhatToDoAndStoresNothing()
    {
        var page = await pages.NewPageAsync();
        await PagesFixture.SignInAsync(page, pages.ProviderKey);
        var before = await pages.SubmissionCountAsync();
        var folder = Directory.CreateTempSubdirectory("ips-pages").FullName;
        var files = new Dictionary<string, byte[]>
        {
            ["return.xlsx"] = [(byte)'P', (byte)'K', 3, 4, 0, 0, 0, 0, 1, 2, 3],
            ["return.pdf"] = "%PDF-1.7\n..."u8.ToArray(),
            ["empty.csv"] = [],
            ["huge.csv"] = new byte[PagesFixture.MaxBytes + 10].Select(_ => (byte)'a').ToArray(),
        };
        var expected = new Dictionary<string, string>
        {
            ["return.xlsx"] = "is an Excel workbook",
            ["return.pdf"] = "is a PDF",
            ["empty.csv"] = "is empty",
            ["huge.csv"] = "must be smaller than",
        };
        foreach (var (name, bytes) in files)
        {
            var path = Path.Combine(folder, name);
            await File.WriteAllBytesAsync(path, bytes);
            await page.GotoAsync("/send-a-return");
            await page.SetInputFilesAsync("#file", path);
            await page.ClickAsync("button:has-text('Send')");
            await page.WaitForSelectorAsync(".nhsuk-error-summary");
            Assert.Contains(expected[name], await page.TextContentAsync(".nhsuk-error-summary"));
        }
        await Browser.CheckAsync(page, "12-send-refused");

        // A month that has not started, and one before the service was active: chosen by editing the form.
        foreach (var (month, words) in new[] { ("2025-05", "has started"), ("2019-01", "was not active") })
        {
            await page.GotoAsync("/send-a-return");
            await page.EvaluateAsync($"document.querySelector('#period').add(new Option('{month}', '{month}', true, true))");
            await page.SetInputFilesAsync("#file", PagesFixture.Sample("valid-return-2025-03.csv"));
            await page.ClickAsync("button:has-text('Send')");
            await page.WaitForSelectorAsync(".nhsuk-error-summary");
            Assert.Contains(words, await page.TextContentAsync(".nhsuk-error-summary"));
        }
        Assert.Equal(before, await pages.SubmissionCountAsync());

        // No page shows how the service failed.
        var missing = await page.GotoAsync("/no-such-page");
        Assert.Equal(404, missing!.Status);
        Assert.Contains("Page not found", await page.TextContentAsync("h1"));
        await Browser.CheckAsync(page, "13-not-found");
    }

    [BrowserFact]
    public async Task ReadingPagesWritesTheSessionAtMostEveryFiveMinutes()
    {
        var page = await pages.NewPageAsync();
        await PagesFixture.SignInAsync(page, pages.ProviderKey);
        var start = pages.Clock.Now;
        async Task<string[]> ExpiriesAsync()
        {
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(
                $"Data Source={Path.Combine(pages.App.DataFolder, "ipsoutcomes.db")};Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT expires_at FROM page_sessions ORDER BY id";
            var expiries = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) expiries.Add(reader.GetString(0));
            return [.. expiries];
        }
        try
        {
            var signedIn = await ExpiriesAsync();
            pages.Clock.Now = start.AddMinutes(4);
            await page.GotoAsync("/submissions");
            await page.GotoAsync("/rules");
            Assert.Equal(signedIn, await ExpiriesAsync()); // read, not written
            pages.Clock.Now = start.AddMinutes(6);
            await page.GotoAsync("/submissions");
            Assert.NotEqual(signedIn, await ExpiriesAsync()); // moved on, once the last renewal is five minutes old
        }
        finally
        {
            pages.Clock.Now = start;
        }
    }

    [BrowserFact]
    public async Task ASessionEndsAfterEightIdleHoursAndWhenItsKeyIsRevoked()
    {
        var page = await pages.NewPageAsync();
        await PagesFixture.SignInAsync(page, pages.ProviderKey);
        var start = pages.Clock.Now;
        try
        {
            pages.Clock.Now = start.AddHours(7).AddMinutes(59);
            await page.GotoAsync("/submissions");
            Assert.EndsWith("/submissions", page.Url); // a request keeps the session alive for another 8 hours
            pages.Clock.Now = pages.Clock.Now.AddHours(8).AddMinutes(1);
            await page.GotoAsync("/submissions");
            Assert.Contains("/sign-in", page.Url);
            Assert.Contains("had not used the service for 8 hours", await page.TextContentAsync("[data-testid=session-ended]"));
        }
        finally
        {
            pages.Clock.Now = start;
        }

        var key = await pages.App.IssueKeyAsync("provider", PagesFixture.ProviderCode, name: "soon revoked");
        await PagesFixture.SignInAsync(page, key);
        using (var admin = pages.App.Admin())
        {
            var id = TestApp.SecretPattern().Match(key).Value.Split('_')[1];
            var revoked = await admin.DeleteAsync($"/api/v1/keys/{id}");
            Assert.True(revoked.IsSuccessStatusCode, revoked.StatusCode.ToString());
        }
        await page.GotoAsync("/");
        Assert.Contains("/sign-in", page.Url);
        Assert.Contains("revoked", await page.TextContentAsync("[data-testid=session-ended]"));
        await Browser.CheckAsync(page, "14-signed-out-revoked");
    }
}
