using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using static IpsOutcomes.Tests.Returns.ReturnKit;

namespace IpsOutcomes.Tests.Returns;

public class RecoveryTests
{
    [Fact]
    public async Task ASubmissionLeftValidatingByADeadProcessCompletesOnceAfterARestart()
    {
        var folder = Path.Combine(Path.GetTempPath(), "ipsoutcomes-tests", Guid.NewGuid().ToString("N"));
        string adminKey, providerKey, provider;
        long id, versionBefore;
        // The first process takes the upload but never processes it (no job server), as if it died first.
        using (var first = new TestApp(folder, new() { ["Jobs:RunServer"] = "false" }))
        {
            adminKey = first.BootstrapAdminKey;
            HttpClient client;
            (provider, client) = await ProviderAsync(first);
            providerKey = client.DefaultRequestHeaders.Authorization!.Parameter!;
            var response = await UploadAsync(client, provider, "2025-03", File(Row("R1"), Row("R2"), Row("R3")));
            await Expect.Status(response, HttpStatusCode.Accepted);
            id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
            // It had got as far as validating when it died.
            Scalar(first, "UPDATE submissions SET status = 'validating', rows_read = 2 WHERE id = @id", ("@id", id));
            versionBefore = Scalar(first, "SELECT version FROM data_version");
        }

        using var second = new TestApp(folder);
        using var again = second.ClientWithKey(providerKey);
        var decided = await WaitForDecisionAsync(again, id);
        Assert.Equal("accepted", decided.GetProperty("status").GetString());
        Assert.Equal(3, decided.GetProperty("row_count").GetInt32());
        Assert.Equal(3, Referrals(second, provider));
        Assert.Equal(versionBefore + 1, Scalar(second, "SELECT version FROM data_version")); // stored exactly once
        second.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}

/// <summary>Files that are not returns at all: each gets a finding or a problem, never a 500, never a hang.</summary>
public class HostileInputTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly TestApp app = shared.App;

    public static TheoryData<string, string> Inputs() => new()
    {
        { "binary junk", "F002" },
        { "an Excel workbook", "F002" },
        { "an empty file", "F001" },
        { "a header only", "F001" },
        { "a 10,000-column header", "F003" },
        { "a single 10 MB line", "F003" },
        { "a truncated quoted field", "F002" },
        { "a storm of quotes", "F003" },
        { "UTF-16 with a BOM", "none" },
    };

    private static byte[] Make(string input)
    {
        var random = new Random(42);
        switch (input)
        {
            case "binary junk":
                var junk = new byte[64 * 1024];
                random.NextBytes(junk);
                return junk;
            case "an Excel workbook":
                return [.. "PK\u0003\u0004"u8, .. new byte[512]];
            case "an empty file":
                return [];
            case "a header only":
                return Encoding.UTF8.GetBytes(Header + "\r\n");
            case "a 10,000-column header":
                return Encoding.UTF8.GetBytes(string.Join(",", Enumerable.Range(1, 10_000).Select(i => $"column{i}")) + "\n1,2,3\n");
            case "a single 10 MB line":
                return Encoding.UTF8.GetBytes(new string('x', 10 * 1024 * 1024));
            case "a truncated quoted field":
                return Encoding.UTF8.GetBytes(File(Row("R1"))[..^10] + "\"never closed");
            case "a storm of quotes":
                return Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("\"\"\"\",\"", 50_000)));
            default:
                return Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(File(Row("R1")))).ToArray();
        }
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task EachGetsAFindingNeverAServerError(string input, string code)
    {
        var (provider, client) = await ProviderAsync(app);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var content = new ByteArrayContent(Make(input));
        content.Headers.ContentType = new("text/csv");
        var response = await client.PostAsync($"/api/v1/providers/{provider}/returns/2025-03/validate", content, timeout.Token);
        await Expect.Status(response, HttpStatusCode.OK);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        var codes = result.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()).ToList();
        if (code == "none")
        {
            Assert.Equal("accepted", result.GetProperty("verdict").GetString());
            return;
        }
        Assert.Equal("rejected", result.GetProperty("verdict").GetString());
        Assert.Contains(code, codes);
    }

    [Fact]
    public async Task BodiesThatAreNotCsvAreProblems()
    {
        var (provider, client) = await ProviderAsync(app);
        var json = new StringContent("{}", Encoding.UTF8, "application/json");
        await Expect.Problem(await client.PostAsync($"/api/v1/providers/{provider}/returns/2025-03", json), HttpStatusCode.UnsupportedMediaType,
            "urn:ipsoutcomes:problem:unsupported-media-type");
        using var form = new MultipartFormDataContent { { new StringContent("x"), "not_file" } };
        var noFile = await Expect.Problem(await client.PostAsync($"/api/v1/providers/{provider}/returns/2025-03", form), HttpStatusCode.BadRequest,
            "urn:ipsoutcomes:problem:bad-request");
        Assert.Contains("'file'", noFile.GetProperty("detail").GetString());
    }
}

public class ReturnScopeTests
{
    [Fact]
    public async Task KeysUploadAndReadOnlyWithinTheirScope()
    {
        using var app = new TestApp();
        await app.RegisterProviderAsync("SCA01", "QWO");
        await app.RegisterProviderAsync("SCB01", "QWO");
        await app.RegisterProviderAsync("SCC01", "QF7");
        await app.RegisterProviderAsync("SCOLD", "QWO", activeFrom: "2020-04-01", activeTo: "2024-03-31");
        using var providerA = app.ClientWithKey(await app.IssueKeyAsync("provider", "SCA01"));
        using var providerB = app.ClientWithKey(await app.IssueKeyAsync("provider", "SCB01"));
        using var westYorkshire = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO"));
        using var southYorkshire = app.ClientWithKey(await app.IssueKeyAsync("icb", "QF7"));
        using var national = app.ClientWithKey(await app.IssueKeyAsync("national"));
        using var old = app.ClientWithKey(await app.IssueKeyAsync("provider", "SCOLD"));
        var csv = File(Row("R1", ("gender", "7")));

        // Uploading: only the provider's own key (or an admin).
        foreach (var client in new[] { providerB, westYorkshire, national })
            await Expect.Problem(await UploadAsync(client, "SCA01", "2025-03", csv), HttpStatusCode.Forbidden, "urn:ipsoutcomes:problem:forbidden");
        await Expect.Problem(await UploadAsync(providerA, "NOSUCH", "2025-03", csv), HttpStatusCode.NotFound, "urn:ipsoutcomes:problem:not-found");
        await Expect.Problem(await UploadAsync(old, "SCOLD", "2025-03", csv), HttpStatusCode.Conflict, "urn:ipsoutcomes:problem:provider-inactive");

        var submission = await SubmitAsync(providerA, "SCA01", "2025-03", csv);
        var id = submission.GetProperty("id").GetInt64();

        // Reading: the provider itself, its ICB (status, and findings without row values), national; nobody else.
        await Expect.Status(await westYorkshire.GetAsync($"/api/v1/submissions/{id}"), HttpStatusCode.OK);
        await Expect.Status(await national.GetAsync($"/api/v1/submissions/{id}"), HttpStatusCode.OK);
        foreach (var outsider in new[] { providerB, southYorkshire })
        {
            await Expect.Problem(await outsider.GetAsync($"/api/v1/submissions/{id}"), HttpStatusCode.NotFound, "urn:ipsoutcomes:problem:not-found");
            await Expect.Problem(await outsider.GetAsync($"/api/v1/submissions/{id}/findings"), HttpStatusCode.NotFound, "urn:ipsoutcomes:problem:not-found");
            Assert.Empty((await outsider.GetFromJsonAsync<JsonElement>("/api/v1/submissions")).GetProperty("items").EnumerateArray());
        }
        Assert.Empty((await providerB.GetFromJsonAsync<JsonElement>("/api/v1/submissions?provider=SCA01")).GetProperty("items").EnumerateArray());
        Assert.Single((await westYorkshire.GetFromJsonAsync<JsonElement>("/api/v1/submissions")).GetProperty("items").EnumerateArray());

        var own = (await FindingsAsync(providerA, id)).Single();
        Assert.Equal("R1", own.GetProperty("referral_id").GetString());
        Assert.Equal("7", own.GetProperty("value").GetString());
        // The ICB without the permission: how often each rule failed, as published (1 is fewer than 5), no line, no value.
        var icbView = (await westYorkshire.GetFromJsonAsync<JsonElement>($"/api/v1/submissions/{id}/findings")).GetProperty("rules").EnumerateArray().Single();
        Assert.Equal("R005", icbView.GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, icbView.GetProperty("count").ValueKind);
        Assert.False(icbView.TryGetProperty("line", out _));
        Assert.DoesNotContain("'7'", icbView.GetProperty("rule").GetString());
        Assert.DoesNotContain(",R1,", await westYorkshire.GetStringAsync($"/api/v1/submissions/{id}/findings?format=csv"));
    }
}

public class SystemFailureTests
{
    [Fact]
    public async Task AFaultOfTheServiceMarksTheSubmissionFailedNotTheFilesFaultAndIsRethrownForARetry()
    {
        using var app = new TestApp(settings: new() { ["Jobs:RunServer"] = "false" });
        var (provider, client) = await ProviderAsync(app);
        var response = await UploadAsync(client, provider, "2025-03", File(Row("R1")));
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        // The spooled file disappears underneath the job: a storage fault, not the service's.
        Scalar(app, "DELETE FROM upload_chunks WHERE upload_id = (SELECT upload_id FROM submissions WHERE id = @id)", ("@id", id));
        Scalar(app, "UPDATE submissions SET upload_id = NULL WHERE id = @id", ("@id", id));

        var job = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IpsOutcomes.Submissions.SubmissionJob>(app.Services);
        await Assert.ThrowsAsync<InvalidOperationException>(() => job.ProcessAsync(id, CancellationToken.None)); // Hangfire retries on a throw
        var failed = await client.GetFromJsonAsync<JsonElement>($"/api/v1/submissions/{id}");
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Contains("not a fault in the file", failed.GetProperty("failure_reason").GetString());
        Assert.Equal(0, failed.GetProperty("error_count").GetInt32());
        Assert.Equal(1, failed.GetProperty("attempts").GetInt32());
        Assert.Equal(0, Referrals(app, provider));
        Assert.True(typeof(IpsOutcomes.Submissions.SubmissionJob).GetMethod("ProcessAsync")!
            .GetCustomAttributes(typeof(Hangfire.AutomaticRetryAttribute), false).Length == 1);
    }
}
