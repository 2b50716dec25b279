using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace IpsOutcomes.Tests.Pages;

/// <summary>
/// Publications as an ICB analyst and an NHS England analyst read them, in Chromium, each page checked with axe and kept as a
/// screenshot: the publications page, what changed between March's provisional and final figures and why, the board paper opening
/// on the publication West Yorkshire signed off, and a page as published with its banner.
/// </summary>
public sealed class PublishedPageTests(PublishedPagesFixture pages) : IClassFixture<PublishedPagesFixture>
{
    [BrowserFact]
    public async Task AnIcbAnalystSeesThePublicationsWhatChangedAndTheBoardPaperAsSignedOff()
    {
        using var api = pages.App.ClientWithKey(pages.IcbKey);
        var revisions = await api.GetFromJsonAsync<JsonElement>("/api/v1/publications/2025-03-final/revisions");
        var revised = revisions.GetProperty("summary").GetProperty("figures_changed").GetInt32();
        Assert.True(revised > 0);

        var page = await pages.NewPageAsync();
        await PagesFixture.SignInAsync(page, pages.IcbKey);
        await page.ClickAsync("a.nhsuk-header__navigation-link:has-text('Publications')");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/publications");
        var march = page.Locator("[data-testid='publications-2025-03']");
        Assert.Contains("Signed off on 24 April 2025: Agreed at the ICB board on 24 April 2025.", await page.TextContentAsync("[data-testid='2025-03-provisional']"));
        Assert.Contains($"{revised} figures revised since the provisional figures", await page.TextContentAsync("[data-testid='2025-03-final']"));
        await Browser.CheckAsync(page, "published-1-publications");

        await march.Locator("a", new() { HasText = "revised since the provisional figures" }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/publications/2025-03-final/revisions");
        Assert.Contains("PG101 IPS service's return for March 2025 was accepted on 6 May 2025", await page.TextContentAsync("[data-testid=reasons]"));
        Assert.Contains("correcting an earlier one", await page.TextContentAsync("[data-testid=reasons]"));
        Assert.Contains($"{revised} of", await page.TextContentAsync("[data-testid=revisions-summary]"));
        Assert.Equal("What changed between the provisional and final figures for March 2025", (await page.TextContentAsync("h1"))!.Trim());
        Assert.True(await page.Locator("[data-testid=changes] tbody tr").CountAsync() > 0);
        await Browser.CheckAsync(page, "published-2-revisions");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.Screenshots, "published-2-revisions-top.png") });

        // The board paper opens on the latest publication West Yorkshire signed off, and says so.
        await page.ClickAsync("a.nhsuk-header__navigation-link:has-text('Board paper')");
        await page.WaitForURLAsync(url => url.Contains("publication=2025-03-provisional", StringComparison.Ordinal));
        var banner = await page.TextContentAsync("[data-testid=published-banner]");
        Assert.Contains("Figures as published on 20 April 2025, provisional. Signed off by NHS West Yorkshire Integrated Care Board on 24 April 2025.", banner);
        // As many as the API lists for West Yorkshire itself between the provisional publication and today.
        var since = await api.GetFromJsonAsync<JsonElement>("/api/v1/publications/2025-03-provisional/revisions?against=current");
        var own = since.GetProperty("changes").EnumerateArray().Count(c => c.GetProperty("organisation_code").GetString() == "QWO");
        Assert.True(own > 0);
        Assert.Contains($"{own} figures have been revised since", banner);
        Assert.Contains("March 2025", await page.TextContentAsync("h1"));
        await Browser.CheckAsync(page, "published-3-board-paper");

        // The dashboard of the final figures, as published: its spine is the API's as published.
        await page.GotoAsync(new Uri(pages.Address, "/dashboard?publication=2025-03-final").ToString());
        Assert.Contains("final. Not signed off by NHS West Yorkshire Integrated Care Board.", await page.TextContentAsync("[data-testid=published-banner]"));
        var spine = await api.GetFromJsonAsync<JsonElement>("/api/v1/indicators/spine?level=icb&code=QWO&month=2025-03&publication=2025-03-final");
        Assert.Equal(spine.GetProperty("indicators").GetArrayLength(), await page.Locator("[data-testid=spine] tbody tr").CountAsync());
        // Its links to the other pages keep the publication.
        Assert.Contains("publication=2025-03-final", await page.GetAttributeAsync("a:has-text('Returns by service')", "href"));
        await Browser.CheckAsync(page, "published-4-dashboard-final");

        // A publication that does not exist is the error page, not figures.
        var missing = await page.GotoAsync(new Uri(pages.Address, "/dashboard?publication=2099-01-final").ToString());
        Assert.Contains("/error/404", page.Url);
    }

    [BrowserFact]
    public async Task ANationalAnalystSeesEachIcbsSignOff()
    {
        var page = await pages.NewPageAsync();
        await PagesFixture.SignInAsync(page, pages.NationalKey);
        await page.GotoAsync(new Uri(pages.Address, "/publications").ToString());
        Assert.Matches(@"1 of \d+ ICBs signed off", await page.TextContentAsync("[data-testid='2025-03-provisional']"));
        await page.ClickAsync("summary:has-text('Sign-off by ICB: Provisional, March 2025')");
        Assert.Contains("NHS West Yorkshire Integrated Care Board: signed off (Agreed at the ICB board on 24 April 2025.)",
            await page.TextContentAsync("details[open]"));
        await Browser.CheckAsync(page, "published-5-national");
    }
}
