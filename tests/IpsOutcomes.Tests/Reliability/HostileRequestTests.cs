using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static IpsOutcomes.Tests.Returns.ReturnKit;

namespace IpsOutcomes.Tests.Reliability;

public class FuzzTests
{
    private static IEnumerable<(string Name, byte[] Bytes)> Inputs()
    {
        var valid = Encoding.UTF8.GetBytes(File(Row("R1", ("job_1_start_date", "2025-03-20"), ("job_1_type", "competitive")), Row("R2", ("gender", "1")), Row("R3")));
        for (var cut = 0; cut <= valid.Length; cut++) yield return ($"truncated at {cut}", valid[..cut]);
        var random = new Random(20251123);
        for (var i = 0; i < 60; i++)
        {
            var junk = new byte[random.Next(1, 4096)];
            random.NextBytes(junk);
            yield return ($"random bytes {i}", junk);
            // Random bytes without NULs: they read as text, in some encoding.
            yield return ($"random text {i}", junk.Select(b => b == 0 ? (byte)'x' : b).ToArray());
        }
        var text = Encoding.UTF8.GetString(valid);
        yield return ("UTF-16 without a BOM", Encoding.Unicode.GetBytes(text));
        yield return ("UTF-8 with an invalid sequence mid-file", [.. valid[..200], 0xC3, 0x28, .. valid[200..]]);
        yield return ("Latin-1 and UTF-8 mixed", [.. Encoding.Latin1.GetBytes(text.Replace("C", "Ç")), .. Encoding.UTF8.GetBytes("R9,Zoë,2025-03-03,,A,,,unemployed,,,,,,,,\n")]);
        yield return ("a 2 MB field", Encoding.UTF8.GetBytes(ReturnsHeader() + "\n\"" + new string('a', 2 << 20) + "\",C1,2025-03-03,,A,,,unemployed\n"));
        yield return ("a storm of quotes", Encoding.UTF8.GetBytes(new string('"', 100_000)));
        yield return ("quotes inside fields", Encoding.UTF8.GetBytes(ReturnsHeader() + "\nR\"1,C\"\"1,2025-03-03,,A,,,unemployed\n"));
        yield return ("only commas and newlines", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(",,,,\r\n", 20_000))));
        yield return ("a header of 50,000 columns", Encoding.UTF8.GetBytes(string.Join(",", Enumerable.Range(0, 50_000).Select(i => $"c{i}"))));
    }

    private static string ReturnsHeader() => Header;

    /// <summary>Malformed CSV of every kind through the dry run: every answer a verdict with findings or a problem; no 500; no hang.</summary>
    [Fact]
    public async Task MalformedFilesGetFindingsNeverAServerError()
    {
        using var app = new TestApp(settings: new() { ["RateLimits:UploadsPerMinute"] = "0" });
        var (provider, client) = await ProviderAsync(app);
        client.Timeout = TimeSpan.FromSeconds(30);
        var tried = 0;
        foreach (var (name, bytes) in Inputs())
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            var response = await client.PostAsync($"/api/v1/providers/{provider}/returns/2025-03/validate", content);
            Assert.True((int)response.StatusCode < 500, $"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var result = await response.Content.ReadFromJsonAsync<JsonElement>();
                var verdict = result.GetProperty("verdict").GetString();
                Assert.True(verdict == "accepted" || result.GetProperty("findings").GetArrayLength() > 0, $"{name}: rejected without a finding");
            }
            tried++;
        }
        Assert.True(tried > 600, $"only {tried} inputs");
    }
}

public class EndpointMatrixTests
{
    private static readonly string[] Hostile = ["' OR 1=1 --", "../../../../etc/passwd", new string('9', 5000), "%00", "<script>alert(1)</script>", "QWO'; DROP TABLE referrals; --"];

    /// <summary>
    /// Every endpoint, every role (and no key, and a revoked key), with injection-shaped route values and query
    /// strings: never a 500, and nothing of an organisation outside the key's scope in any answer.
    /// </summary>
    [Fact]
    public async Task EveryEndpointWithEveryRoleAndHostileParametersStaysInScope()
    {
        using var app = new TestApp(settings: new() { ["RateLimits:ReadsPerMinute"] = "0", ["RateLimits:UploadsPerMinute"] = "0" });
        await app.RegisterProviderAsync("MXA01", "QWO");
        await app.RegisterProviderAsync("MXSECRET", "QF7");
        using (var secret = app.ClientWithKey(await app.IssueKeyAsync("provider", "MXSECRET")))
            await SubmitAsync(secret, "MXSECRET", "2025-03", File(Row("HIDDEN-1")));
        var revoked = await app.IssueKeyAsync("national", name: "to revoke");
        using (var admin = app.Admin())
        {
            var keys = await admin.GetFromJsonAsync<JsonElement>("/api/v1/keys");
            await admin.DeleteAsync($"/api/v1/keys/{keys.EnumerateArray().Single(k => k.GetProperty("name").GetString() == "to revoke").GetProperty("id").GetInt64()}");
        }
        var callers = new (string Name, string? Key, bool MaySeeSecret)[]
        {
            ("provider MXA01", await app.IssueKeyAsync("provider", "MXA01"), false),
            ("icb QWO", await app.IssueKeyAsync("icb", "QWO", unsuppressed: true), false),
            ("national", await app.IssueKeyAsync("national", unsuppressed: true), true),
            ("revoked", revoked, false),
            ("no key", null, false),
        };
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal)).ToList();
        var queries = new[] { "", "?level=provider&code=MXSECRET&month=2025-03", "?provider=MXSECRET", "?icb=QF7", "?organisation=MXSECRET" }
            .Concat(Hostile.Select(h => $"?level={Uri.EscapeDataString(h)}&code={Uri.EscapeDataString(h)}&month={Uri.EscapeDataString(h)}&provider={Uri.EscapeDataString(h)}&page={Uri.EscapeDataString(h)}"))
            .ToArray();
        var requests = 0;
        foreach (var (name, key, maySeeSecret) in callers)
        {
            using var client = app.ClientWithKey(key);
            foreach (var endpoint in endpoints)
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            foreach (var value in Hostile.Append("MXSECRET"))
            foreach (var query in method == "GET" ? queries : [""])
            {
                var path = Routes.Path(endpoint, value);
                using var request = new HttpRequestMessage(new HttpMethod(method), path + query);
                if (method is "POST" or "PUT")
                {
                    var accepts = endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes;
                    request.Content = accepts?.Contains("text/csv") == true
                        ? new StringContent(Header + "\n" + value + ",C1,2025-03-03,,A,,,unemployed\n", Encoding.UTF8, "text/csv")
                        : new StringContent(JsonSerializer.Serialize(new { code = value, name = value, url = value, role = value, icb_code = value, organisation_code = value }), Encoding.UTF8, "application/json");
                }
                var response = await client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                requests++;
                Assert.True((int)response.StatusCode < 500, $"{name} {method} {path}{query}: {(int)response.StatusCode} {body}");
                if (!maySeeSecret && response.IsSuccessStatusCode)
                    Assert.DoesNotContain("HIDDEN-1", body);
                if (!maySeeSecret && response.IsSuccessStatusCode && !path.EndsWith("MXSECRET", StringComparison.Ordinal) && !query.Contains("MXSECRET"))
                    Assert.DoesNotContain("MXSECRET", body);
            }
        }
        Assert.True(requests > 1000, $"only {requests} requests");
    }
}
