using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using static IpsOutcomes.Tests.Returns.ReturnKit;

namespace IpsOutcomes.Tests.Returns;

public class LimitTests
{
    [Fact]
    public async Task F006AFileOverTheRowLimitIsRejected()
    {
        using var app = new TestApp(settings: new() { ["Returns:MaxRows"] = "2" });
        var (provider, client) = await ProviderAsync(app);
        var submission = await SubmitAsync(client, provider, "2025-03", File(Row("R1"), Row("R2"), Row("R3")));
        Assert.Equal("rejected", submission.GetProperty("status").GetString());
        var finding = Assert.Single(await FindingsAsync(client, submission.GetProperty("id").GetInt64()), f => f.GetProperty("code")
            .GetString() == "F006");
        Assert.Equal(4, finding.GetProperty("line").GetInt32());
        Assert.Equal(0, Referrals(app, provider));
    }

    [Fact]
    public async Task AnUploadOverTheByteLimitIs413BeforeItIsRead()
    {
        using var app = new TestApp(settings: new() { ["Returns:MaxBytes"] = "2000" });
        var (provider, client) = await ProviderAsync(app);
        var big = File(Enumerable.Range(1, 100).Select(i => Row($"R{i}")).ToArray());
        var body = await Expect.Problem(await UploadAsync(client, provider, "2025-03", big), HttpStatusCode.RequestEntityTooLarge,
            "urn:ipsoutcomes:problem:payload-too-large");
        Assert.Contains("limit", body.GetProperty("detail").GetString());
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>("/api/v1/submissions")).GetProperty("items").EnumerateArray());
        Assert.Equal(0, Scalar(app, "SELECT COUNT(*) FROM upload_chunks"));

        // Sent without a length (chunked), it is refused while streaming, and nothing is left behind.
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big)));
        content.Headers.ContentType = new("text/csv");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/providers/{provider}/returns/2025-03") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        await Expect.Problem(await client.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, "urn:ipsoutcomes:problem:payload-too-large");
        Assert.Equal(0, Scalar(app, "SELECT COUNT(*) FROM upload_chunks"));
    }
}
