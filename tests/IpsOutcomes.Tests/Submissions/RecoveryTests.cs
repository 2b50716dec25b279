using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IpsOutcomes.Tests.Returns;
using static IpsOutcomes.Tests.Returns.ReturnKit;

namespace IpsOutcomes.Tests.Submissions;

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
