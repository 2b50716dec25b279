using System.Net;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace IpsOutcomes.Tests.Infrastructure;

public class ProblemDetailsTests
{
    [Fact]
    public async Task EveryApiEndpointAnswers401ProblemWithoutAKey()
    {
        using var app = new TestApp();
        using var client = app.CreateClient();
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal)
                || e.RoutePattern.RawText!.StartsWith("/hangfire", StringComparison.Ordinal))
            .ToList();
        Assert.True(endpoints.Count >= 12, $"only {endpoints.Count} endpoints found");
        // Only a publication's open data is for anyone.
        var open = endpoints.Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null).ToList();
        Assert.Equal(["/api/v1/publications/{name}/datapackage.json", "/api/v1/publications/{name}/figures.csv"],
            open.Select(e => e.RoutePattern.RawText).Order());

        foreach (var endpoint in endpoints.Except(open))
        {
            var path = Routes.Path(endpoint, "1");
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is "POST" or "PUT")
                {
                    var accepts = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.ContentTypes;
                    var type = accepts?.Contains("text/csv") == true ? "text/csv" : "application/json";
                    request.Content = new StringContent(type == "text/csv" ? "referral_id\n" : "{}", Encoding.UTF8, type);
                }
                var response = await client.SendAsync(request);
                await Expect.Problem(response, HttpStatusCode.Unauthorized, "urn:ipsoutcomes:problem:unauthorized");
            }
        }
    }

    [Fact]
    public async Task AnUnknownOrRevokedKeyIs401WithAReason()
    {
        using var app = new TestApp();
        using var forged = app.ClientWithKey("ipso_1_" + new string('A', 43));
        var body = await Expect.Problem(await forged.GetAsync("/api/v1/icbs"), HttpStatusCode.Unauthorized, "urn:ipsoutcomes:problem:unauthorized");
        Assert.Contains("not valid", body.GetProperty("detail").GetString());
        using var garbage = app.ClientWithKey("' OR 1=1 --");
        await Expect.Problem(await garbage.GetAsync("/api/v1/icbs"), HttpStatusCode.Unauthorized, "urn:ipsoutcomes:problem:unauthorized");
    }

    [Fact]
    public async Task UnknownRoutesWrongMethodsAndMalformedJsonAreProblems()
    {
        using var app = new TestApp();
        using var admin = app.Admin();

        await Expect.Problem(await admin.GetAsync("/api/v1/no-such-thing"), HttpStatusCode.NotFound, "urn:ipsoutcomes:problem:not-found");
        await Expect.Problem(await admin.DeleteAsync("/api/v1/icbs"), HttpStatusCode.MethodNotAllowed, "urn:ipsoutcomes:problem:method-not-allowed");

        var malformed = await admin.PostAsync("/api/v1/keys", new StringContent("{\"name\": ", Encoding.UTF8, "application/json"));
        var body = await Expect.Problem(malformed, HttpStatusCode.BadRequest, "urn:ipsoutcomes:problem:bad-request");
        Assert.DoesNotContain("   at ", body.ToString());

        var wrongType = await admin.PostAsync("/api/v1/keys", new StringContent("name=x", Encoding.UTF8, "application/x-www-form-urlencoded"));
        await Expect.Problem(wrongType, HttpStatusCode.UnsupportedMediaType, "urn:ipsoutcomes:problem:unsupported-media-type");

        var invalid = await admin.PostAsync("/api/v1/keys", new StringContent("{\"name\":\"\",\"role\":\"provider\"}", Encoding.UTF8, "application/json"));
        var validation = await Expect.Problem(invalid, HttpStatusCode.BadRequest, "urn:ipsoutcomes:problem:validation");
        Assert.True(validation.GetProperty("errors").TryGetProperty("name", out _));
        Assert.True(validation.GetProperty("errors").TryGetProperty("organisation_code", out _));
    }

    [Fact]
    public async Task AnOversizedJsonBodyIs413Problem()
    {
        using var app = new TestApp(settings: new() { ["Limits:MaxJsonBodyBytes"] = "1024" });
        using var admin = app.Admin();
        var big = "{\"name\":\"" + new string('x', 4096) + "\",\"role\":\"admin\"}";
        var response = await admin.PostAsync("/api/v1/keys", new StringContent(big, Encoding.UTF8, "application/json"));
        await Expect.Problem(response, HttpStatusCode.RequestEntityTooLarge, "urn:ipsoutcomes:problem:payload-too-large");
    }
}
