using System.Net.Http.Json;
using System.Text.Json;

namespace IpsOutcomes.Tests;

public static class Expect
{
    /// <summary>Asserts a status, showing the body when it is wrong.</summary>
    public static async Task Status(HttpResponseMessage response, System.Net.HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
            Assert.Fail($"Expected {(int)expected} {expected} from {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Asserts an RFC 9457 problem with the given status and type, and returns its body.</summary>
    public static async Task<JsonElement> Problem(HttpResponseMessage response, System.Net.HttpStatusCode status, string type)
    {
        await Status(response, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(type, body.GetProperty("type").GetString());
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("title").GetString()));
        return body;
    }
}
