using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace IpsOutcomes.Tests.Infrastructure;

public class StartupTests
{
    [Fact]
    public async Task FirstStartOnAnEmptyFolderCreatesTheSchemaAndPrintsOneAdminKey()
    {
        using var app = new TestApp();
        var adminKey = app.BootstrapAdminKey;

        Assert.True(File.Exists(Path.Combine(app.DataFolder, "ipsoutcomes.db")));
        Assert.Single(TestApp.SecretPattern().Matches(app.Console.ToString()));

        using var admin = app.ClientWithKey(adminKey);
        var keys = await admin.GetFromJsonAsync<JsonElement>("/api/v1/keys");
        var only = Assert.Single(keys.EnumerateArray());
        Assert.Equal("admin", only.GetProperty("role").GetString());
        Assert.False(only.TryGetProperty("secret", out _));
        Assert.False(only.TryGetProperty("secret_hash", out _));

        using var connection = new SqliteConnection($"Data Source={Path.Combine(app.DataFolder, "ipsoutcomes.db")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM schema_versions";
        Assert.Equal(Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "sql", "sqlite"), "*.sql").Length, (int)(long)command.ExecuteScalar()!);
        command.CommandText = "SELECT COUNT(*) FROM icbs";
        Assert.Equal(42L, (long)command.ExecuteScalar()!);
        // Only a hash of the secret is stored.
        command.CommandText = "SELECT COUNT(*) FROM api_keys WHERE instr(CAST(secret_hash AS TEXT), @secret) > 0";
        command.Parameters.AddWithValue("@secret", adminKey.Split('_', 3)[2]);
        Assert.Equal(0L, (long)command.ExecuteScalar()!);
    }

    [Fact]
    public async Task RestartKeepsDataAndNeitherReappliesMigrationsNorPrintsAnotherKey()
    {
        var folder = Path.Combine(Path.GetTempPath(), "ipsoutcomes-tests", Guid.NewGuid().ToString("N"));
        string adminKey;
        using (var first = new TestApp(folder))
        {
            adminKey = first.BootstrapAdminKey;
            await first.RegisterProviderAsync("RKE01", "QWO");
        }

        using var second = new TestApp(folder);
        _ = second.Server;
        Assert.DoesNotMatch(TestApp.SecretPattern(), second.Console.ToString());
        using var admin = second.ClientWithKey(adminKey);
        var provider = await admin.GetFromJsonAsync<JsonElement>("/api/v1/providers/RKE01");
        Assert.Equal("QWO", provider.GetProperty("icb_code").GetString());
        second.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task LivenessAndReadinessAnswerWithoutAKey()
    {
        using var app = new TestApp();
        using var client = app.CreateClient();
        var live = await client.GetAsync("/health/live");
        await Expect.Status(live, HttpStatusCode.OK);
        var ready = await client.GetAsync("/health/ready");
        await Expect.Status(ready, HttpStatusCode.OK);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SwaggerUiAndTheOpenApiDocumentAreServed()
    {
        using var app = new TestApp();
        using var client = app.CreateClient();
        await Expect.Status(await client.GetAsync("/swagger/index.html"), HttpStatusCode.OK);
        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/v1/keys", out _));
    }

    [Fact]
    public async Task TheJobsDashboardIsForAdminsOnly()
    {
        using var app = new TestApp();
        await app.RegisterProviderAsync("DSH01", "QWO");
        var icbKey = await app.IssueKeyAsync("icb", "QWO");

        using var anonymous = app.CreateClient();
        await Expect.Problem(await anonymous.GetAsync("/hangfire"), HttpStatusCode.Unauthorized, "urn:ipsoutcomes:problem:unauthorized");
        using var icb = app.ClientWithKey(icbKey);
        await Expect.Problem(await icb.GetAsync("/hangfire"), HttpStatusCode.Forbidden, "urn:ipsoutcomes:problem:forbidden");
        using var admin = app.Admin();
        var dashboard = await admin.GetAsync("/hangfire");
        await Expect.Status(dashboard, HttpStatusCode.OK);
        Assert.Contains("IpsOutcomes jobs", await dashboard.Content.ReadAsStringAsync());
    }
}
