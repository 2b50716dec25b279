using System.Net.Http.Json;
using System.Text.Json;
using IpsOutcomes.Tests.Returns;
using static IpsOutcomes.Tests.Returns.ReturnKit;

namespace IpsOutcomes.Tests.Submissions;

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

        var job = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<IpsOutcomes.Submissions.SubmissionJob>(app.Services);
        await Assert.ThrowsAsync<InvalidOperationException>(()
            => job.ProcessAsync(id, CancellationToken.None)); // Hangfire retries on a throw
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
