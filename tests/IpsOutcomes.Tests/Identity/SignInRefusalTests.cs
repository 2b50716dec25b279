using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IpsOutcomes.TestIdentityProvider;
using IpsOutcomes.Tests.Returns;

namespace IpsOutcomes.Tests.Identity;

/// <summary>
/// Each way a sign-in through the identity provider must be refused, driven over real HTTP against the real provider on
/// loopback, one redirect at a time: the service's OpenID Connect handler refuses what is forged, replayed or badly signed,
/// and the service refuses who is not invited. None of them makes a session; each is audited.
/// </summary>
public sealed class SignInRefusalTests(SignInFixture fixture) : IClassFixture<SignInFixture>
{
    private static readonly object Analyst = new { role = "icb", organisation_code = "QWO" };

    [Fact]
    public async Task AForgedStateIsRefused()
    {
        using var client = fixture.RedirectByHand(new CookieContainer());
        await client.GetAsync("/sign-in/with/test?returnUrl=/"); // the correlation cookie of a real start
        var before = Refusals();
        var answer = await client.GetAsync("/sign-in/test/callback?code=made-up&state=forged");
        Assert.Equal("/sign-in/refused?reason=failed", answer.Headers.Location?.ToString());
        Assert.False(await SignedInAsync(client));
        Assert.Equal(before + 1, Refusals());
    }

    [Fact]
    public async Task AReplayedCodeIsRefused()
    {
        var person = await fixture.PersonAsync("Replay Person", Analyst);
        using var client = fixture.RedirectByHand(new CookieContainer());
        var (first, callback) = await SignInFixture.ThroughProviderAsync(client, person);
        Assert.Equal("/", first.Headers.Location?.ToString());
        Assert.True(await SignedInAsync(client));

        // The same answer again, in the same browser (its correlation cookie was spent) and in another (it never had one).
        Assert.Equal("/sign-in/refused?reason=failed", (await client.GetAsync(callback)).Headers.Location?.ToString());
        using var thief = fixture.RedirectByHand(new CookieContainer());
        Assert.Equal("/sign-in/refused?reason=failed", (await thief.GetAsync(callback)).Headers.Location?.ToString());
        Assert.False(await SignedInAsync(thief));
    }

    /// <summary>The provider answers with a spoiled ID token: the handler's own checks refuse each.</summary>
    [Theory]
    [InlineData(Misbehaviour.WrongIssuer)]
    [InlineData(Misbehaviour.ExpiredIdToken)]
    [InlineData(Misbehaviour.UnsignedIdToken)]
    [InlineData(Misbehaviour.WronglySignedIdToken)]
    public async Task ASpoiledIdTokenIsRefused(Misbehaviour misbehaviour)
    {
        var person = await fixture.PersonAsync($"Spoiled {misbehaviour}", Analyst);
        using var client = fixture.RedirectByHand(new CookieContainer());
        var codes = fixture.Provider.CodesIssued;
        var before = Refusals();
        fixture.Provider.Misbehaviour = misbehaviour;
        try
        {
            var (answer, _) = await SignInFixture.ThroughProviderAsync(client, person);
            Assert.Equal("/sign-in/refused?reason=failed", answer.Headers.Location?.ToString());
        }
        finally
        {
            fixture.Provider.Misbehaviour = Misbehaviour.None;
        }
        Assert.Equal(codes + 1, fixture.Provider.CodesIssued); // the provider did answer: the service refused its token
        Assert.False(await SignedInAsync(client));
        Assert.Equal(before + 1, Refusals());
        Assert.Equal("invited", (await fixture.UserAsync(person)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task AnInvitationIsNotBoundToAnUnverifiedEmail()
    {
        var person = await fixture.PersonAsync("Unverified Person", Analyst, verified: false);
        using var client = fixture.RedirectByHand(new CookieContainer());
        var (answer, _) = await SignInFixture.ThroughProviderAsync(client, person);
        Assert.Equal("/sign-in/refused?reason=unverified", answer.Headers.Location?.ToString());
        Assert.False(await SignedInAsync(client));
        Assert.Equal("invited", (await fixture.UserAsync(person)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task AnUninvitedPersonIsToldWhoToAskAndNothingElse()
    {
        var person = await fixture.PersonAsync("Stranger Danger", grant: null);
        using var client = fixture.RedirectByHand(new CookieContainer());
        var (answer, _) = await SignInFixture.ThroughProviderAsync(client, person);
        Assert.Equal("/sign-in/refused?reason=uninvited", answer.Headers.Location?.ToString());
        var page = await client.GetStringAsync("/sign-in/refused?reason=uninvited");
        Assert.Contains(SignInFixture.AskWho, page);
        Assert.DoesNotContain("West Yorkshire", page);
        Assert.False(await SignedInAsync(client));
        Assert.Equal(1, ReturnKit.Scalar(fixture.App,
            $"SELECT COUNT(*) FROM audit_log WHERE action = 'session.sign_in_refused' AND detail LIKE 'uninvited: Stranger Danger <{person.Email}>'"));
    }

    /// <summary>A person of one ICB asking for another's figures, by page or through the API's reads a page session may make.</summary>
    [Fact]
    public async Task AUserOfOneIcbCannotReadAnothers()
    {
        var person = await fixture.PersonAsync("Scope Person", Analyst);
        await fixture.App.RegisterProviderAsync("PQ001", "QOP"); // another ICB with figures to refuse
        using var client = fixture.RedirectByHand(new CookieContainer());
        await SignInFixture.ThroughProviderAsync(client, person);
        Assert.True(await SignedInAsync(client));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/indicators?level=icb&code=QWO&month=2025-03")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/indicators?level=icb&code=QOP&month=2025-03")).StatusCode);
        var page = await client.GetStringAsync("/dashboard?scope=QOP");
        Assert.DoesNotContain("QOP", page);
        Assert.Contains("West Yorkshire", page);
        // Nor may the session write through the API, as a key's session may not.
        var write = await client.PostAsJsonAsync("/api/v1/users", new { email = "x@example.nhs.uk", name = "X", role = "provider" });
        Assert.Equal(HttpStatusCode.Unauthorized, write.StatusCode);
    }

    /// <summary>Key sign-in for people is off once an identity provider is configured (identity.md): the page offers the provider
    /// only.</summary>
    [Fact]
    public async Task KeySignInIsOffByDefaultOnceAProviderIsConfigured()
    {
        using var client = fixture.RedirectByHand(new CookieContainer());
        var page = await client.GetStringAsync("/sign-in");
        Assert.Contains("Sign in with your NHS account", page);
        Assert.DoesNotContain("id=\"key\"", page);
    }

    private long Refusals() => ReturnKit.Scalar(fixture.App, "SELECT COUNT(*) FROM audit_log WHERE action = 'session.sign_in_refused'");

    private static async Task<bool> SignedInAsync(HttpClient client) =>
        (await client.GetAsync("/submissions")).StatusCode == HttpStatusCode.OK;
}
