using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static IpsOutcomes.Tests.Returns.ReturnKit;

namespace IpsOutcomes.Tests.Reliability;

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
                                    : new StringContent(JsonSerializer.Serialize(new
                                    {
                                        code = value,
                                        name = value,
                                        url = value,
                                        role = value,
                                        icb_code = value,
                                        organisation_code = value
                                    }), Encoding.UTF8, "application/json");
                            }
                            var response = await client.SendAsync(request);
                            var body = await response.Content.ReadAsStringAsync();
                            requests++;
                            Assert.True((int)response.StatusCode < 500, $"{name} {method} {path}{query}: {(int)response.StatusCode} {body}");
                            if (!maySeeSecret && response.IsSuccessStatusCode)
                                Assert.DoesNotContain("HIDDEN-1", body);
                            if (!maySeeSecret && response.IsSuccessStatusCode && !path.EndsWith("MXSECRET", StringComparison.Ordinal)
                                && !query.Contains("MXSECRET"))
                                Assert.DoesNotContain("MXSECRET", body);
                        }
        }
        Assert.True(requests > 1000, $"only {requests} requests");
    }
}
