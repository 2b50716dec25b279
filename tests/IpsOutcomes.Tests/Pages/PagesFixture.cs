using System.Net.Http.Json;
using System.Text.Json;
using IpsOutcomes.Tests.Infrastructure;
using IpsOutcomes.Tests.Returns;
using Microsoft.Playwright;

namespace IpsOutcomes.Tests.Pages;

/// <summary>
/// The service on a real port (Kestrel), its clock at 10 April 2025 so that March 2025 is "the month just ended",
/// one IPS service (PG001, West Yorkshire) with its key and its ICB's key, and one Chromium for all the page tests.
/// </summary>
public class PagesFixture : IAsyncLifetime
{
    public const string ProviderCode = "PG001";
    public const string IcbCode = "QWO";
    public const long MaxBytes = 100_000;

    public TestClock Clock { get; } = new(new DateTimeOffset(2025, 4, 10, 9, 0, 0, TimeSpan.Zero));
    public TestApp App { get; private set; } = null!;
    public Uri Address { get; private set; } = null!;
    public string ProviderKey { get; private set; } = "";
    public string IcbKey { get; private set; } = "";
    private IPlaywright? playwright;
    private IBrowser? browser;

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?> { ["Pages:SignInsPerMinute"] = "0", ["Returns:MaxBytes"] = MaxBytes.ToString() };
        foreach (var (name, value) in await SettingsAsync()) settings[name] = value;
        App = new TestApp(settings: settings, clock: Clock);
        App.UseKestrel(0);
        App.StartServer();
        using (var client = App.CreateClient()) Address = client.BaseAddress!;
        await App.RegisterProviderAsync(ProviderCode, IcbCode);
        ProviderKey = await App.IssueKeyAsync("provider", ProviderCode, name: "PG001 team leader");
        IcbKey = await App.IssueKeyAsync("icb", IcbCode, name: "West Yorkshire analyst");
        await SeedAsync();
        if (Browser.Available) (playwright, browser) = await Browser.LaunchAsync();
    }

    /// <summary>More settings for a kind of page test (and what they need started first).</summary>
    protected virtual Task<Dictionary<string, string?>> SettingsAsync() => Task.FromResult(new Dictionary<string, string?>());

    /// <summary>More data for a kind of page test, before the browser starts.</summary>
    protected virtual Task SeedAsync() => Task.CompletedTask;

    public async Task<IPage> NewPageAsync(bool javaScript = true)
    {
        Assert.True(browser is not null, $"Debian's chromium is needed at {Browser.ExecutablePath}");
        var context = await browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Address.ToString(),
            JavaScriptEnabled = javaScript,
            AcceptDownloads = true,
            ViewportSize = new() { Width = 1100, Height = 900 },
        });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    public static async Task SignInAsync(IPage page, string key)
    {
        await page.GotoAsync("/sign-in");
        await page.FillAsync("#key", key);
        await page.ClickAsync("button:has-text('Sign in')");
        try
        {
            // What only a signed-in page shows: waiting for the load event of a POST's redirect (even committed, then loaded)
            // now and then missed it.
            await page.Locator("[data-testid=signed-in-as]").WaitForAsync();
        }
        catch (TimeoutException)
        {
            // Say why the page kept us on the sign-in page, rather than only that it did.
            var said = await page.Locator(".nhsuk-error-summary, .nhsuk-error-message").AllTextContentsAsync();
            Assert.Fail($"Sign-in did not leave {page.Url}: {string.Join(" ", said).Trim()}");
        }
    }

    public static string Sample(string name) => Path.Combine(RepositoryRoot.Path, "samples", name);

    /// <summary>How many submissions the provider has, through the API: what a refusal must leave unchanged.</summary>
    public async Task<int> SubmissionCountAsync()
    {
        using var admin = App.Admin();
        var page = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/submissions?provider={ProviderCode}&page_size=500");
        return page.GetProperty("items").GetArrayLength();
    }

    public virtual async Task DisposeAsync()
    {
        if (browser is not null) await browser.DisposeAsync();
        playwright?.Dispose();
        App.Dispose();
    }
}
