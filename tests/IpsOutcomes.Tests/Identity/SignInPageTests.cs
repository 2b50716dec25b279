using System.Net.Http.Json;
using System.Text.Json;
using IpsOutcomes.TestIdentityProvider;
using IpsOutcomes.Tests.Pages;
using IpsOutcomes.Tests.Returns;
using Microsoft.Playwright;

namespace IpsOutcomes.Tests.Identity;

/// <summary>
/// People signing in as themselves, in Chromium, through the real OpenID Connect provider on loopback: an invitation bound at
/// the first sign-in, the person's name in the header and in the audit, sign-out there and at the provider, a suspended user
/// thrown out mid-session, a role from groups, the page that says whom to ask, and the Users pages. Each page axe-checked.
/// </summary>
public sealed class SignInPageTests(SignInFixture fixture) : IClassFixture<SignInFixture>
{
    [BrowserFact]
    public async Task AnInvitedPersonSignsInWithTheirAccountAndIsNamedInTheHeaderAndTheAudit()
    {
        var person = await fixture.PersonAsync("Priya Shah", new { role = "icb", organisation_code = "QWO" });
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/");
        Assert.Contains("/sign-in", page.Url);
        await Browser.CheckAsync(page, "41-sign-in-with-an-account");

        await SignInAsync(page, person);
        Assert.Contains("Priya Shah", await page.TextContentAsync("[data-testid=signed-in-as]"));
        Assert.Contains("West Yorkshire", await page.TextContentAsync("[data-testid=signed-in-as]"));
        var user = await fixture.UserAsync(person);
        Assert.Equal("active", user.GetProperty("status").GetString());
        Assert.Equal("test", user.GetProperty("identity_provider").GetString());
        Assert.Equal(1, ReturnKit.Scalar(fixture.App,
            $"SELECT COUNT(*) FROM audit_log WHERE action = 'session.signed_in' AND user_name = 'Priya Shah' AND key_id IS NULL"));

        // What the person does in their session is audited as them: a download through the API's address, for example.
        await page.GotoAsync("/api/v1/audit");
        Assert.Equal(1, ReturnKit.Scalar(fixture.App,
            $"SELECT COUNT(*) FROM audit_log WHERE action = 'user.bound' AND user_name = 'Priya Shah'"));
    }

    [BrowserFact]
    public async Task SigningOutEndsTheSessionHereAndAtTheProvider()
    {
        var person = await fixture.PersonAsync("Sign Out Person", new { role = "icb", organisation_code = "QWO" });
        var page = await fixture.NewPageAsync();
        await SignInAsync(page, person);
        await page.ClickAsync("button.nhsuk-header__account-button");
        try { await page.WaitForURLAsync(url => url.Contains("ended=signed-out"), new() { Timeout = 10_000 }); }
        catch (TimeoutException) { Assert.Fail($"at {page.Url}: {await page.ContentAsync()}"); }
        Assert.Equal("You have signed out.", (await page.TextContentAsync("[data-testid=session-ended]"))?.Trim());
        await page.GotoAsync("/submissions");
        Assert.Contains("/sign-in", page.Url);
        Assert.Equal(1, ReturnKit.Scalar(fixture.App,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'session.signed_out' AND user_name = 'Sign Out Person'"));
    }

    [BrowserFact]
    public async Task ASuspendedUserIsThrownOutMidSession()
    {
        var person = await fixture.PersonAsync("Suspended Person", new { role = "provider", organisation_code = PagesFixture.ProviderCode });
        var page = await fixture.NewPageAsync();
        await SignInAsync(page, person);
        Assert.Contains("/", page.Url);

        using var admin = fixture.App.Admin();
        var id = (await fixture.UserAsync(person)).GetProperty("id").GetInt64();
        Assert.True((await admin.PatchAsJsonAsync($"/api/v1/users/{id}", new { status = "suspended" })).IsSuccessStatusCode);
        await page.GotoAsync("/submissions");
        Assert.Contains("ended=suspended", page.Url);
        Assert.Contains("suspended or removed", await page.TextContentAsync("[data-testid=session-ended]"));
        await Browser.CheckAsync(page, "42-suspended-signed-out");

        // Nor can they sign in again.
        await page.ClickAsync("[data-testid=sign-in-with]");
        await page.ClickAsync($"a:has-text('{person.Name}')");
        await page.WaitForURLAsync(url => url.Contains("/sign-in/refused"));
        Assert.Equal("Your access has been suspended", (await page.TextContentAsync("h1"))?.Trim());
    }

    [BrowserFact]
    public async Task AnAnalystsGroupGivesTheirIcbWithoutAnInvitation()
    {
        var person = await fixture.PersonAsync("Group Analyst", grant: null, groups: SignInFixture.AnalystsGroup);
        var page = await fixture.NewPageAsync();
        await SignInAsync(page, person);
        await page.GotoAsync("/dashboard");
        Assert.Contains("West Yorkshire", await page.TextContentAsync("[data-testid=signed-in-as]"));
        var user = await fixture.UserAsync(person);
        Assert.Equal(("icb", "QWO", "groups"), (user.GetProperty("role").GetString(), user.GetProperty("organisation_code").GetString(),
            user.GetProperty("source").GetString()));
    }

    [BrowserFact]
    public async Task APersonWithoutAccessIsToldWhomToAsk()
    {
        var person = await fixture.PersonAsync("Not Invited", grant: null);
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/sign-in");
        await page.ClickAsync("[data-testid=sign-in-with]");
        await page.ClickAsync($"a:has-text('{person.Name}')");
        await page.WaitForURLAsync(url => url.Contains("/sign-in/refused"));
        Assert.Equal("You do not have access to IPS outcomes", (await page.TextContentAsync("h1"))?.Trim());
        Assert.Contains(SignInFixture.AskWho, await page.TextContentAsync("[data-testid=refusal]"));
        Assert.Equal(0, await page.Locator("nav.nhsuk-header__navigation").CountAsync()); // nothing else
        await Browser.CheckAsync(page, "43-no-access");
    }

    [BrowserFact]
    public async Task AnAdminInvitesChangesAndSuspendsFromTheUsersPages()
    {
        var admin = await fixture.PersonAsync("Alex Admin", new { role = "admin" });
        var page = await fixture.NewPageAsync();
        await SignInAsync(page, admin);
        Assert.Equal(1, await page.Locator("a.nhsuk-header__navigation-link:has-text('Users')").CountAsync());
        await page.GotoAsync("/users");
        Assert.Equal("Users", (await page.TextContentAsync("h1"))?.Trim());
        Assert.True(await page.Locator("[data-testid=keys] tbody tr").CountAsync() >= 3); // the admin sees the keys too
        await Browser.CheckAsync(page, "44-users");

        await page.ClickAsync("a:has-text('Invite someone')");
        await page.ClickAsync("button:has-text('Invite')");
        Assert.Contains("Enter the e-mail address", await page.TextContentAsync(".nhsuk-error-summary"));
        await Browser.CheckAsync(page, "45-invite-errors");
        await page.FillAsync("#email", "jo.bloggs@example.nhs.uk");
        await page.FillAsync("#person-name", "Jo Bloggs");
        await page.CheckAsync("#role-icb");
        await page.FillAsync("#organisation-code", "QWO");
        await page.ClickAsync("button:has-text('Invite')");
        Assert.Contains("Jo Bloggs (jo.bloggs@example.nhs.uk) has been invited", await page.TextContentAsync("[data-testid=invited]"));

        await page.ClickAsync("a:has-text('Back to users')");
        await page.ClickAsync("a:has-text('Jo Bloggs')");
        Assert.Equal("Invited", (await page.TextContentAsync("[data-testid=status]"))?.Trim());
        await page.CheckAsync("#unsuppressed");
        await page.ClickAsync("button:has-text('Save')");
        Assert.Contains("sees exact figures", await page.TextContentAsync("[data-testid=scope]"));
        await Browser.CheckAsync(page, "46-user");
        await page.ClickAsync("button:has-text('Suspend and sign out now')");
        Assert.Equal("Suspended", (await page.TextContentAsync("[data-testid=status]"))?.Trim());
        Assert.Equal(1, ReturnKit.Scalar(fixture.App,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'user.role_changed' AND user_name = 'Alex Admin' AND detail LIKE 'jo.bloggs@%'"));
    }

    [BrowserFact]
    public async Task AnIcbInvitesItsServicesLeadAndTheLeadInvitesTheirTeam()
    {
        var analyst = await fixture.PersonAsync("Wendy Analyst", new { role = "icb", organisation_code = "QWO" });
        var lead = await fixture.PersonAsync("Lee Lead", grant: null);
        var page = await fixture.NewPageAsync();
        await SignInAsync(page, analyst);
        await page.GotoAsync("/users/invite");
        Assert.Equal(0, await page.Locator("#role-icb").CountAsync()); // an ICB offers places in its services only
        await page.FillAsync("#email", lead.Email);
        await page.FillAsync("#person-name", lead.Name);
        await page.SelectOptionAsync("#organisation-code", PagesFixture.ProviderCode);
        await page.CheckAsync("#team-lead");
        await Browser.CheckAsync(page, "47-invite-as-icb");
        await page.ClickAsync("button:has-text('Invite')");
        Assert.Contains("has been invited", await page.TextContentAsync("[data-testid=invited]"));

        var leads = await fixture.NewPageAsync();
        await SignInAsync(leads, lead);
        await leads.GotoAsync("/users/invite");
        Assert.Contains($"IPS service ({PagesFixture.ProviderCode})", await leads.TextContentAsync("main"));
        await leads.FillAsync("#email", "team.member@example.nhs.uk");
        await leads.FillAsync("#person-name", "Tam Member");
        await Browser.CheckAsync(leads, "48-invite-as-team-lead");
        await leads.ClickAsync("button:has-text('Invite')");
        await leads.GotoAsync("/users");
        var names = await leads.Locator("[data-testid=users] tbody tr td:first-child a").AllTextContentsAsync();
        Assert.Equal(["Lee Lead", "Tam Member"], names.Where(n => n is "Lee Lead" or "Tam Member").Order());
        Assert.DoesNotContain("Wendy Analyst", names); // a lead sees their own team, not the ICB's people
    }

    private async Task SignInAsync(IPage page, TestPerson person)
    {
        await page.GotoAsync("/sign-in");
        await page.ClickAsync("[data-testid=sign-in-with]");
        await page.ClickAsync($"a:has-text('{person.Name}')");
        // Waiting for what only a signed-in page shows outlasts the redirects on the way, where waiting for a URL's load
        // event now and then missed it.
        await page.Locator("[data-testid=signed-in-as]").WaitForAsync();
    }
}
