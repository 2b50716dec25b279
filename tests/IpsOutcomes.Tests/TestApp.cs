using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using IpsOutcomes.Keys;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace IpsOutcomes.Tests;

/// <summary>
/// The real service (HTTP pipeline, SQLite file, Hangfire server) on a data folder of its own.
/// Pass an existing folder to start the service again on the same data.
/// </summary>
public sealed partial class TestApp : WebApplicationFactory<Program>
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private readonly bool ownsFolder;
    private readonly Dictionary<string, string?> settings;

    private readonly TimeProvider? clock;

    public TestApp(string? dataFolder = null, Dictionary<string, string?>? settings = null, TimeProvider? clock = null)
    {
        this.clock = clock;
        ownsFolder = dataFolder is null;
        DataFolder = dataFolder ?? Path.Combine(Path.GetTempPath(), "ipsoutcomes-tests", Guid.NewGuid().ToString("N"));
        this.settings = settings ?? [];
    }

    public string DataFolder { get; }
    public StringWriter Console { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("DataFolder", DataFolder);
        builder.UseSetting("Logging:Console:FormatterName", "simple");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        builder.ConfigureServices(services =>
        {
            services.AddSingleton(new OperatorConsole(Console));
            if (clock is not null) services.AddSingleton(clock);
        });
    }

    /// <summary>The admin key the first start printed to the console, as an operator would copy it.</summary>
    public string BootstrapAdminKey
    {
        get
        {
            _ = Services; // start the host
            var match = SecretPattern().Match(Console.ToString());
            return match.Success ? match.Value : throw new InvalidOperationException("No admin key was printed.");
        }
    }

    [GeneratedRegex(@"ipso_\d+_[A-Za-z0-9_-]{43}")]
    public static partial Regex SecretPattern();

    public HttpClient ClientWithKey(string? secret)
    {
        var client = CreateClient();
        if (secret is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", secret);
        return client;
    }

    public HttpClient Admin() => ClientWithKey(BootstrapAdminKey);

    public async Task<string> IssueKeyAsync(string role, string? organisation = null, bool unsuppressed = false, string? name = null,
        bool signOff = false)
    {
        using var admin = Admin();
        var response = await admin.PostAsJsonAsync("/api/v1/keys", new
        {
            name = name ?? $"{role} {organisation}",
            role,
            organisation_code = organisation,
            unsuppressed,
            sign_off = signOff,
        });
        await Expect.Status(response, System.Net.HttpStatusCode.Created);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("secret").GetString()!;
    }

    public async Task RegisterProviderAsync(string code, string icb, string activeFrom = "2020-04-01", string? activeTo = null)
    {
        using var admin = Admin();
        var response = await admin.PostAsJsonAsync("/api/v1/providers", new
        {
            code,
            name = $"{code} IPS service",
            icb_code = icb,
            active_from = activeFrom,
            active_to = activeTo,
        });
        await Expect.Status(response, System.Net.HttpStatusCode.Created);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing || !ownsFolder) return;
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataFolder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
