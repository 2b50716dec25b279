using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using IpsOutcomes.Tests.Infrastructure;
using IpsOutcomes.Tests.Returns;
using Microsoft.Playwright;

namespace IpsOutcomes.Tests.Pages;

/// <summary>
/// Debian's Chromium, driven by Playwright through its executable path (Playwright's own browser download is not
/// reachable here). Without Chromium the page tests are skipped, unless IPS_REQUIRE_BROWSER=1 (as CI sets), when
/// they fail.
/// </summary>
public static class Browser
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static bool Available => File.Exists(ExecutablePath);

    public static bool Required => Environment.GetEnvironmentVariable("IPS_REQUIRE_BROWSER") == "1";

    /// <summary>Where screenshots go, for a person to look at: TestResults/screenshots in the checkout.</summary>
    public static string Screenshots { get; } = Directory.CreateDirectory(Path.Combine(RepositoryRoot.Path, "TestResults", "screenshots")).FullName;

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // Chromium's own connections are refused on this network, and it runs as root in CI.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
        return (playwright, browser);
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

    /// <summary>No accessibility violations (axe-core, WCAG 2.2 A and AA), and a screenshot kept under <paramref name="name"/>.</summary>
    public static async Task CheckAsync(IPage page, string name)
    {
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
        });
        var violations = result.Violations.Select(v => $"{v.Id}: {v.Help} at {string.Join("; ", v.Nodes.Select(n => n.Target?.ToString()))}").ToList();
        await ScreenshotAsync(page, name);
        Assert.True(violations.Count == 0, $"{name} ({page.Url}):\n" + string.Join("\n", violations));
    }
}
