using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IpsOutcomes.Tests.MonthEnd;
using IpsOutcomes.Tests.Returns;

namespace IpsOutcomes.Tests.Publications;

/// <summary>An ICB signs off its figures in a publication and withdraws the sign-off, each with a comment, audited and announced;
/// national sees each ICB's state.</summary>
public sealed class SignOffTests
{
    private const string Problem = "urn:ipsoutcomes:problem:";

    [Fact]
    public async Task AnIcbSignsOffAndWithdrawsWithACommentAuditedAndAnnounced()
    {
        await using var receiver = await Receiver.StartAsync();
        using var app = new TestApp(settings: new() { ["Webhooks:AllowPrivateAddresses"] = "true" },
            clock: new TestClock(new DateTimeOffset(2025, 4, 24, 10, 0, 0, TimeSpan.Zero)));
        await app.RegisterProviderAsync("SIG01", "QWO");
        using (var provider = app.ClientWithKey(await app.IssueKeyAsync("provider", "SIG01")))
            await ReturnKit.SubmitAsync(provider, "SIG01", "2025-03", ReturnKit.File(ReturnKit.Row("R1")));
        using var admin = app.Admin();
        await Expect.Status(await admin.PostAsJsonAsync("/api/v1/publications", new { name = "april-board", month = "2025-03" }),
            HttpStatusCode.Accepted);
        await AsPublishedTests.CutAsync(admin, "april-board");

        using var reader = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO"));
        using var lead = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO", name: "QWO director of performance", signOff: true));
        await Expect.Status(await lead.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url }), HttpStatusCode.Created);

        await Expect.Problem(await reader.PostAsJsonAsync("/api/v1/publications/april-board/sign-off", new { comment = "agreed" }),
            HttpStatusCode.Forbidden, Problem + "forbidden");
        await Expect.Problem(await lead.PostAsJsonAsync("/api/v1/publications/april-board/sign-off", new { comment = " " }),
            HttpStatusCode.BadRequest, Problem + "validation");
        await Expect.Problem(await lead.PostAsJsonAsync("/api/v1/publications/nope/sign-off", new { comment = "agreed" }),
            HttpStatusCode.NotFound, Problem + "not-found");
        await Expect.Problem(await lead.PostAsJsonAsync("/api/v1/publications/april-board/sign-off/withdrawal", new { comment = "oops" }),
            HttpStatusCode.Conflict, Problem + "conflict");

        var signed = await lead.PostAsJsonAsync("/api/v1/publications/april-board/sign-off",
            new { comment = "Agreed at the ICB board on 24 April 2025." });
        await Expect.Status(signed, HttpStatusCode.OK);
        var state = await signed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("signed_off", "QWO director of performance"), (state.GetProperty("state").GetString(), state.GetProperty("by").GetString()));
        await Expect.Problem(await lead.PostAsJsonAsync("/api/v1/publications/april-board/sign-off", new { comment = "again" }),
            HttpStatusCode.Conflict, Problem + "conflict");

        var withdrawn = await lead.PostAsJsonAsync("/api/v1/publications/april-board/sign-off/withdrawal",
            new { comment = "A late return from SIG01 changes the job starts; to be signed off on the final figures." });
        await Expect.Status(withdrawn, HttpStatusCode.OK);

        using var national = app.ClientWithKey(await app.IssueKeyAsync("national"));
        var states = (await national.GetFromJsonAsync<JsonElement>("/api/v1/publications/april-board/sign-offs")).EnumerateArray()
            .ToDictionary(s => s.GetProperty("icb_code").GetString()!, s => s.GetProperty("state").GetString());
        Assert.Equal("withdrawn", states["QWO"]);
        Assert.Equal("not_signed_off", states["QF7"]);
        var own = (await reader.GetFromJsonAsync<JsonElement>("/api/v1/publications/april-board/sign-offs")).EnumerateArray().ToList();
        Assert.Equal("QWO", Assert.Single(own).GetProperty("icb_code").GetString());

        Assert.Equal(1, ReturnKit.Scalar(app, "SELECT COUNT(*) FROM audit_log WHERE action = 'publication.signed_off' AND target = 'publication/april-board/icb/QWO'"));
        Assert.Equal(1, ReturnKit.Scalar(app, "SELECT COUNT(*) FROM audit_log WHERE action = 'publication.sign_off_withdrawn'"));
        var events = await Eventually.UntilAsync(() => Task.FromResult(receiver.Received.Select(r => JsonDocument.Parse(r.Body).RootElement)
                .Where(b => b.GetProperty("event").GetString()!.StartsWith("publication.", StringComparison.Ordinal)).ToList()),
            e => e.Count == 2, "both sign-off events to be delivered");
        // Deliveries run side by side, so they may arrive in either order.
        Assert.Equal(["publication.sign_off_withdrawn", "publication.signed_off"], events.Select(e => e.GetProperty("event").GetString()).Order());
        Assert.All(events, e => Assert.Equal("april-board", e.GetProperty("publication").GetString()));

        // The permission is for ICB keys only.
        await Expect.Problem(await admin.PostAsJsonAsync("/api/v1/keys", new { name = "p", role = "provider", organisation_code = "SIG01", sign_off = true }),
            HttpStatusCode.BadRequest, Problem + "validation");
    }
}
