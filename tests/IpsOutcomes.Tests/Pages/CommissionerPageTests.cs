using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace IpsOutcomes.Tests.Pages;

/// <summary>
/// A commissioner's pages, driven in Chromium as an ICB analyst and an NHS England analyst would use them, each checked
/// with axe and kept as a screenshot; the charts' marks counted against what the API answers for the same question.
/// </summary>
public sealed class CommissionerPageTests(CommissionerPagesFixture pages) : IClassFixture<CommissionerPagesFixture>
{
    /// <summary>
    /// Pages open on the latest month whose returns were due and that holds figures, and say so (pages.md): never on a
    /// month whose returns are not due yet, and never on an empty month while an earlier one has figures.
    /// </summary>
    [BrowserFact]
    public async Task APageOpensOnTheLatestMonthWhoseReturnsWereDueAndHoldFigures()
    {
        var page = await pages.NewPageAsync();
        try
        {
            foreach (var (today, month, why) in new[]
            {
                (CommissionerPagesFixture.OpensOnMarch, "March 2025", "the latest month whose returns were due (by 15 April 2025)"),
                (new DateTimeOffset(2025, 4, 10, 9, 0, 0, TimeSpan.Zero), "February 2025", "the latest month whose returns were due (by 15 March 2025)"),
                // Months later, with nothing sent since March: March, not an empty month.
                (new DateTimeOffset(2025, 12, 2, 9, 0, 0, TimeSpan.Zero), "March 2025", "the latest month with figures for NHS West Yorkshire Integrated Care Board"),
            })
            {
                pages.Clock.Now = today;
                await PagesFixture.SignInAsync(page, pages.IcbKey);
                foreach (var link in new[] { "Dashboard", "Providers", "Equality", "Trends", "Board paper", "Quality mark" })
                {
                    await FollowAsync(page, link);
                    Assert.Equal($"Showing {month}, {why}. Choose another month below.", (await page.TextContentAsync("[data-testid=opened-on]"))!.Trim());
                    Assert.Equal(month, await page.Locator("#month option:checked").TextContentAsync());
                }
                await page.Context.ClearCookiesAsync();
            }
        }
        finally
        {
            pages.Clock.Now = CommissionerPagesFixture.OpensOnMarch;
        }
    }

    [BrowserFact]
    public async Task AnIcbAnalystReadsTheDashboardProvidersEqualityTrendsAndBoardPaper()
    {
        using var api = pages.App.ClientWithKey(pages.IcbKey);
        var page = await pages.NewPageAsync();
        await PagesFixture.SignInAsync(page, pages.IcbKey);

        await FollowAsync(page, "Dashboard");
        Assert.Contains("NHS West Yorkshire Integrated Care Board", await page.TextContentAsync("h1"));
        var spine = await api.GetFromJsonAsync<JsonElement>("/api/v1/indicators/spine?level=icb&code=QWO&month=2025-03");
        Assert.Equal(spine.GetProperty("indicators").GetArrayLength(), await page.Locator("[data-testid=spine] tbody tr").CountAsync());
        Assert.Contains("3 of 4 returns in", await page.TextContentAsync("[data-testid=returns]"));
        var access = await api.GetFromJsonAsync<JsonElement[]>("/api/v1/indicators?level=icb&code=QWO&period_type=rolling12&from=2023-04&to=2025-03&indicators=accessed");
        Assert.Equal(Published(access!), await page.Locator("[data-chart=trend-accessed] g.point").CountAsync());
        await Browser.CheckAsync(page, "icb-1-dashboard");

        await FollowAsync(page, "Providers");
        // Four services, one of which (PG001, of the base fixture) has sent nothing: no bar, no point, but its row of returns.
        Assert.Equal(3, await page.Locator("[data-chart=league] g.bar").CountAsync());
        Assert.Equal(3, await page.Locator("[data-chart=funnel] g.point").CountAsync());
        Assert.Equal(4 * 12, await page.Locator("[data-chart=completeness] g.cell").CountAsync());
        Assert.Equal(3, await page.Locator("[data-chart=completeness] g.status-on_time").CountAsync()); // March 2025, sent on time
        await Browser.CheckAsync(page, "icb-2-providers");

        // From the keyboard alone: to the indicator, choose another, and show it.
        await KeyboardTo(page, "#indicator");
        await page.Keyboard.PressAsync("Home");
        await KeyboardTo(page, "button.ips-scope__button");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => url.Contains("indicator=referrals", StringComparison.Ordinal));
        Assert.Contains("Referrals", await page.TextContentAsync("[data-chart=league] figcaption"));

        await FollowAsync(page, "Equality");
        var groups = await api.GetFromJsonAsync<JsonElement>("/api/v1/reports/equality?level=icb&code=QWO&period_type=rolling12&month=2025-03");
        var known = groups.GetProperty("periods")[0].GetProperty("access").GetProperty("groups").GetArrayLength();
        Assert.Equal(known, await page.Locator("[data-chart=forest] g.group").CountAsync());
        Assert.Equal(2, await page.Locator("[data-testid=tests] li").CountAsync());
        Assert.Contains("Ethnicity was not known or not stated for", await page.TextContentAsync("[data-testid=unknown]"));
        await Browser.CheckAsync(page, "icb-3-equality");

        await FollowAsync(page, "Trends");
        var spc = await api.GetFromJsonAsync<JsonElement>("/api/v1/indicators/spc?level=icb&code=QWO&indicators=accessed&from=2023-04&to=2025-03");
        var months = spc.GetProperty("series")[0].GetProperty("months").EnumerateArray().Count(m => m.GetProperty("value").ValueKind != JsonValueKind.Null);
        Assert.Equal(24, months);
        Assert.Equal(months, await page.Locator("[data-chart=spc-accessed] g.point").CountAsync());
        Assert.Equal(1, await page.Locator("[data-chart=spc-accessed] g.variation").CountAsync());
        await Browser.CheckAsync(page, "icb-4-trends");

        // The chart and its data download as the page shows them.
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-chart=spc-accessed] a:has-text('PNG')"));
        Assert.EndsWith(".png", download.SuggestedFilename);

        await FollowAsync(page, "Board paper");
        Assert.Equal(1, await page.Locator("[data-chart=forest]").CountAsync());
        Assert.Equal(3, await page.Locator("figure[data-chart^=spc-]").CountAsync());
        await Browser.CheckAsync(page, "icb-5-board-paper");
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        Assert.False(await page.IsVisibleAsync("header.nhsuk-header"));
        Assert.False(await page.IsVisibleAsync("form.ips-scope"));
        await page.PdfAsync(new() { Path = Path.Combine(Browser.Screenshots, "icb-5-board-paper.pdf"), Format = "A4", PrintBackground = true });
    }

    [BrowserFact]
    public async Task AnIcbAnalystSeesHowFarEachServiceIsFromTheQualityMark()
    {
        using var api = pages.App.ClientWithKey(pages.IcbKey);
        var page = await pages.NewPageAsync();
        await PagesFixture.SignInAsync(page, pages.IcbKey);

        await FollowAsync(page, "Quality mark");
        var view = await api.GetFromJsonAsync<JsonElement>("/api/v1/icbs/QWO/quality-mark");
        var services = view.GetProperty("providers").GetArrayLength();
        Assert.Equal(services, await page.Locator("[data-testid=readiness] tbody tr").CountAsync());
        Assert.Equal(services * 6, await page.Locator("[data-testid=readiness] .ips-criteria .nhsuk-tag").CountAsync());
        await Browser.CheckAsync(page, "icb-6-quality-mark");

        // A service's history: three reviews drawn, its latest external review's 25 items, the weak one orange.
        await page.ClickAsync("[data-testid=readiness] a:has-text('PG101')");
        await page.WaitForURLAsync(url => url.EndsWith("/fidelity/PG101", StringComparison.Ordinal));
        Assert.Equal(3, await page.Locator("[data-chart=fidelity-history] g.point").CountAsync());
        Assert.Equal(25, await page.Locator("[data-chart=fidelity-items] g.bar").CountAsync());
        Assert.Equal(3, await page.Locator("[data-chart=fidelity-history] line.band-threshold").CountAsync());
        await Browser.CheckAsync(page, "icb-7-fidelity-history");

        await page.GotoAsync("/fidelity-outcomes");
        var outcomes = await api.GetFromJsonAsync<JsonElement>("/api/v1/fidelity/outcomes");
        var rated = outcomes.GetProperty("providers").EnumerateArray().Count(p => p.GetProperty("employment_rate").ValueKind != JsonValueKind.Null);
        Assert.Equal(rated, await page.Locator("[data-chart=fidelity-outcomes] g.point").CountAsync());
        Assert.Contains("Spearman", await page.TextContentAsync("[data-testid=correlation]") ?? "");
        await Browser.CheckAsync(page, "icb-8-fidelity-outcomes");
    }

    [BrowserFact]
    public async Task ANationalAnalystChoosesEnglandOrAnyIcb()
    {
        var page = await pages.NewPageAsync();
        await PagesFixture.SignInAsync(page, pages.NationalKey);
        foreach (var (link, name) in new[] { ("Dashboard", "national-1-dashboard"), ("Providers", "national-2-providers"), ("Equality", "national-3-equality"),
                     ("Trends", "national-4-trends"), ("Board paper", "national-5-board-paper"),
                     ("Quality mark", "national-7-quality-mark") })
        {
            await FollowAsync(page, link);
            Assert.Contains("England", await page.TextContentAsync("h1"));
            await Browser.CheckAsync(page, name);
        }

        // England's league is of ICBs: the two with services.
        await FollowAsync(page, "Providers");
        Assert.Equal(2, await page.Locator("[data-chart=league] g.bar").CountAsync());

        await page.SelectOptionAsync("#scope", "icb:QOP");
        await page.ClickAsync("button.ips-scope__button");
        await page.WaitForURLAsync(url => url.Contains("QOP", StringComparison.Ordinal));
        Assert.Contains("Greater Manchester", await page.TextContentAsync("h1"));
        Assert.Equal(1, await page.Locator("[data-chart=completeness] g.provider").CountAsync());
        await Browser.CheckAsync(page, "national-6-providers-of-an-icb");
    }

    /// <summary>
    /// A commissioner reads words, not the schema (pages.md): no page, for any indicator, shows a column or parameter
    /// name (anything in snake_case: an indicator's id, a column of the return, a group's code) or a period type's code.
    /// </summary>
    [BrowserFact]
    public async Task NoCommissionerPageShowsASchemaWord()
    {
        var page = await pages.NewPageAsync();
        await PagesFixture.SignInAsync(page, pages.IcbKey);
        var schema = new System.Text.RegularExpressions.Regex(@"\b[a-z0-9]+(_[a-z0-9]+)+\b|\b(rolling12|fytd)\b");
        var found = new List<string>();
        async Task ReadAsync(string path)
        {
            await page.GotoAsync(path);
            var text = await page.EvalOnSelectorAsync<string>("main", "m => m.textContent") + " " + await page.TitleAsync();
            found.AddRange(schema.Matches(text).Select(m => $"{path}: {m.Value}").Distinct());
        }
        foreach (var path in new[] { "/dashboard", "/equality", "/board-paper", "/quality-mark", "/fidelity-outcomes" }) await ReadAsync(path);
        foreach (var indicator in IpsOutcomes.Indicators.IndicatorCatalogue.All)
        {
            await ReadAsync($"/providers?indicator={indicator.Id}");
            await ReadAsync($"/trends?indicator={indicator.Id}");
        }
        foreach (var breakdown in new[] { "ethnic_group", "ethnic_category", "white_british" }) await ReadAsync($"/equality?breakdown={breakdown}");
        Assert.True(found.Count == 0, "schema words on commissioner pages:\n" + string.Join("\n", found.Distinct().Take(60)));
    }

    /// <summary>Follows a link of the header's menu and waits for its page, so that what is counted next is on it.</summary>
    private static async Task FollowAsync(IPage page, string link)
    {
        var path = "/" + link.ToLowerInvariant().Replace(' ', '-');
        await page.ClickAsync($"a.nhsuk-header__navigation-link:has-text('{link}')");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == path);
    }

    private static int Published(JsonElement[] rows) => rows.Count(r => r.GetProperty("value").ValueKind != JsonValueKind.Null);

    /// <summary>Tabs forward until the element has focus, as a keyboard user would (at most 60 presses).</summary>
    private static async Task KeyboardTo(IPage page, string selector)
    {
        for (var presses = 0; presses < 60; presses++)
        {
            if (await page.EvalOnSelectorAsync<bool>(selector, "e => e === document.activeElement")) return;
            await page.Keyboard.PressAsync("Tab");
        }
        Assert.Fail($"{selector} could not be reached with the Tab key");
    }
}
