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
        // Each wrong key is audited; a throttled attempt only in the minute's one entry for its address (a flood must not flood the log).
        Assert.Equal(2, ReturnKit.Scalar(app, "SELECT COUNT(*) FROM audit_log WHERE action = 'session.sign_in_refused'"));
    }

    /// <summary>A page's download links are the API's addresses: a session may read through them, under its scope, and never
    /// write.</summary>
    [Fact]
    public async Task APageSessionReadsTheApiInItsScopeButNeverWritesThroughIt()
    {
        using var app = new TestApp();
        using var client = app.CreateClient();
        var token = await TokenAsync(client, "/sign-in");
        await client.PostAsync("/sign-in", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["key"] = await app.IssueKeyAsync("icb", "QWO"), ["__RequestVerificationToken"] = token }));

        var own = await client.GetAsync("/api/v1/charts/trend.svg?level=icb&code=QWO&period_type=month&month=2025-03&indicators=accessed");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/indicators?level=icb&code=QOP&month=2025-03")).StatusCode);
        var csv = await client.GetAsync("/api/v1/indicators?level=icb&code=QWO&month=2025-03&format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);

        var write = await client.PostAsync("/api/v1/webhooks", new StringContent("{\"url\":\"https://example.org/hook\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, write.StatusCode);
    }

    /// <summary>A download link followed after the session has ended answers as the API does, 401, not with the sign-in page.</summary>
    [Fact]
    public async Task AnApiReadWithAnEndedSessionIsUnauthorisedNotRedirected()
    {
        using var app = new TestApp();
        using var client = app.CreateClient(
            new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var token = await TokenAsync(client, "/sign-in");
        await client.PostAsync("/sign-in", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["key"] = await app.IssueKeyAsync("icb", "QWO"), ["__RequestVerificationToken"] = token }));
        const string download = "/api/v1/indicators?level=icb&code=QWO&month=2025-03&format=csv";
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(download)).StatusCode);

        ReturnKit.Scalar(app, "DELETE FROM page_sessions");
        await Expect.Problem(await client.GetAsync(download), HttpStatusCode.Unauthorized, "urn:ipsoutcomes:problem:unauthorized");
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/submissions")).StatusCode); // a page still goes to sign in
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

    [Fact]
    public async Task ABrokenUploadThroughThePageIsRefusedInWordsAndStoresNothing()
    {
        using var app = new TestApp();
        await app.RegisterProviderAsync("PG009", "QWO");
        var key = await app.IssueKeyAsync("provider", "PG009");
        using var client = app.CreateClient();
        await client.PostAsync("/sign-in", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["key"] = key, ["__RequestVerificationToken"] = await TokenAsync(client, "/sign-in") }));
        var token = await TokenAsync(client, "/send-a-return");
        var month = DateTime.UtcNow.AddMonths(-1).ToString("yyyy-MM");

        // The body stops in the middle of the file: no closing boundary.
        var body = $"--b\r\nContent-Disposition: form-data; name=\"__RequestVerificationToken\"\r\n\r\n{token}\r\n" +
                   $"--b\r\nContent-Disposition: form-data; name=\"period\"\r\n\r\n{month}\r\n" +
                   "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.csv\"\r\nContent-Type: text/csv\r\n\r\nreferral_id,client_id\r\nR1,C1";
        var content = new StringContent(body);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
        var response = await client.PostAsync("/send-a-return?handler=send", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("The file did not arrive whole", await response.Content.ReadAsStringAsync());

        // A form whose token is missing is refused before anything is read.
        var forged = new MultipartFormDataContent { { new StringContent(month), "period" } };
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/send-a-return?handler=send", forged)).StatusCode);
        Assert.Equal(0, ReturnKit.Scalar(app, "SELECT COUNT(*) FROM submissions"));
        Assert.Equal(0, ReturnKit.Scalar(app, "SELECT COUNT(*) FROM uploads"));
    }
}
