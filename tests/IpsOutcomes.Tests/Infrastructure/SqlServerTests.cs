using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace IpsOutcomes.Tests.Infrastructure;

public class SqlServerTests
{
    private static TestApp OnSqlServer() => new(settings: new()
    {
        ["Database:Provider"] = "SqlServer",
        ["Database:ConnectionString"] = SqlServerFactAttribute.ConnectionString,
    });

    [SqlServerFact]
    public async Task TheServiceMigratesAndServesOnSqlServer()
    {
        using var app = OnSqlServer();
        using var admin = app.ClientWithKey(await AdminKeyAsync(app));
        await Expect.Status(await app.CreateClient().GetAsync("/health/ready"), HttpStatusCode.OK);
        var code = "S" + Random.Shared.Next(10000, 99999);
        await Expect.Status(await admin.PostAsJsonAsync("/api/v1/providers", new { code, name = "SQL Server test", icb_code = "QWO", active_from = "2020-04-01" }),
            HttpStatusCode.Created);
        var provider = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/providers/{code}");
        Assert.Equal("2020-04-01", provider.GetProperty("active_from").GetString());
        var issued = await admin.PostAsJsonAsync("/api/v1/keys", new { name = "sql server", role = "provider", organisation_code = code });
        await Expect.Status(issued, HttpStatusCode.Created);
        var secret = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString();
        using var providerClient = app.ClientWithKey(secret);
        Assert.Equal(1, (await providerClient.GetFromJsonAsync<JsonElement>("/api/v1/providers")).GetArrayLength());
    }

    // On a shared server the bootstrap key was printed by whichever run came first; issue one directly.
    private static async Task<string> AdminKeyAsync(TestApp app)
    {
        _ = app.Server;
        var match = TestApp.SecretPattern().Match(app.Console.ToString());
        if (match.Success) return match.Value;
        var store = (IpsOutcomes.Keys.ApiKeyStore)app.Services.GetService(typeof(IpsOutcomes.Keys.ApiKeyStore))!;
        var issued = await store.IssueAsync(new IpsOutcomes.Keys.KeyRequest("sql server tests", IpsOutcomes.Infrastructure.Role.Admin,
            null, false), null, "tests");
        return issued.Secret;
    }
}
