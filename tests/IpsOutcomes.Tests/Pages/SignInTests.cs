using System.Net;
using System.Text.RegularExpressions;
using IpsOutcomes.Tests.Returns;

namespace IpsOutcomes.Tests.Pages;

/// <summary>Signing in over plain HTTP, as a form would: rate-limited and audited, protected against forgery, kept on the server.</summary>
public sealed partial class SignInTests
{
    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex Token();

    private static async Task<string> TokenAsync(HttpClient client, string path) =>
        Token().Match(await client.GetStringAsync(path)).Groups[1].Value;

    [Fact]
    public async Task SignInAttemptsAreRateLimitedPerAddressAndAudited()
    {
        using var app = new TestApp(settings: new() { ["Pages:SignInsPerMinute"] = "2" });
        using var client = app.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var token = await TokenAsync(client, "/sign-in");
            var response = await client.PostAsync("/sign-in", new FormUrlEncodedContent(
                new Dictionary<string, string> { ["key"] = "ipso_1_not-a-real-key", ["__RequestVerificationToken"] = token }));
            statuses.Add(response.StatusCode);
            var page = await response.Content.ReadAsStringAsync();
            Assert.Contains(attempt < 2 ? "That key was not recognised" : "too many attempts to sign in", page);
        }
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(3, ReturnKit.Scalar(app, "SELECT COUNT(*) FROM audit_log WHERE action = 'session.sign_in_refused'"));
    }

    [Fact]
    public async Task AFormWithoutItsTokenIsRefusedAndASessionLivesOnTheServer()
    {
        using var app = new TestApp();
        using var client = app.CreateClient();
        var forged = await client.PostAsync("/sign-in", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = app.BootstrapAdminKey }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("The form could not be sent", await forged.Content.ReadAsStringAsync());
        Assert.Equal(0, ReturnKit.Scalar(app, "SELECT COUNT(*) FROM page_sessions"));

        var token = await TokenAsync(client, "/sign-in");
        var signedIn = await client.PostAsync("/sign-in", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["key"] = app.BootstrapAdminKey, ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Equal("/", signedIn.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(1, ReturnKit.Scalar(app, "SELECT COUNT(*) FROM page_sessions"));
        Assert.Equal(1, ReturnKit.Scalar(app, "SELECT COUNT(*) FROM audit_log WHERE action = 'session.signed_in'"));

        // Signing out ends the session on the server, not only in the browser.
        var signOutToken = Token().Match(await signedIn.Content.ReadAsStringAsync()).Groups[1].Value;
        await client.PostAsync("/sign-out", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = signOutToken }));
        Assert.Equal(0, ReturnKit.Scalar(app, "SELECT COUNT(*) FROM page_sessions"));
        Assert.Contains("/sign-in", (await client.GetAsync("/submissions")).RequestMessage!.RequestUri!.AbsolutePath);
    }
}
