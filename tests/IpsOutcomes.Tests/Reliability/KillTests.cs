using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IpsOutcomes.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace IpsOutcomes.Tests.Reliability;

/// <summary>The real service, as its own process, killed with SIGKILL in the middle of validating a large return.</summary>
public class KillTests(ITestOutputHelper output)
{
    private sealed class Service : IDisposable
    {
        private readonly Process process;
        public HttpClient Client { get; }
        public string Output => output.ToString();
        private readonly StringBuilder output = new();

        public Service(string dataFolder, int port)
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
            var dll = Path.Combine(RepositoryRoot.Path, "src", "IpsOutcomes.Api", "bin", configuration, "net10.0", "IpsOutcomes.Api.dll");
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { dll, "--urls", $"http://127.0.0.1:{port}", "--DataFolder", dataFolder, "--Logging:Console:FormatterName", "simple" })
                start.ArgumentList.Add(argument);
            process = Process.Start(start)!;
            process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
        }

        public async Task ReadyAsync()
        {
            await Eventually.UntilAsync(async () =>
            {
                try { return (await Client.GetAsync("/health/ready")).IsSuccessStatusCode; }
                catch (HttpRequestException) { return false; }
            }, "the service to start (its output: " + Output + ")", everyMs: 100);
        }

        public void Kill()
        {
            process.Kill(entireProcessTree: true); // SIGKILL: no shutdown, no flush
            process.WaitForExit();
        }

        public void Dispose()
        {
            if (!process.HasExited) Kill();
            Client.Dispose();
            process.Dispose();
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// CI runs one trial; the count is a command: <c>IPS_KILL_TRIALS=20 dotnet test --filter KillTests</c>. Each trial
    /// kills the service at a different moment of the job (from the start of validation to the store).
    /// </summary>
    [Fact]
    public async Task AReturnInterruptedBySigkillIsStoredExactlyOnceAfterARestart()
    {
        var trials = int.TryParse(Environment.GetEnvironmentVariable("IPS_KILL_TRIALS"), out var t) ? t : 1;
        var random = new Random(20261130);
        var outcomes = new List<string>();
        for (var trial = 1; trial <= trials; trial++)
            outcomes.Add(await TrialAsync(trial == 1 ? 0 : random.Next(0, 4000)));
        output.WriteLine($"kill trials: {trials}; half-stored returns: 0; integrity_check ok: {trials}; killed while: " +
            string.Join(", ", outcomes.GroupBy(o => o).Select(g => $"{g.Key} {g.Count()}")));
    }

    /// <summary>One trial: upload, kill after <paramref name="delayMs"/> of validating, restart, check. Returns what the kill
    /// interrupted.</summary>
    private static async Task<string> TrialAsync(int delayMs)
    {
        var folder = Path.Combine(Path.GetTempPath(), "ipsoutcomes-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        const int rows = 150_000;
        long id;
        string providerKey;
        string interrupted;
        using (var first = new Service(folder, FreePort()))
        {
            await first.ReadyAsync();
            var admin = TestApp.SecretPattern().Match(first.Output).Value;
            first.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", admin);
            (await first.Client.PostAsJsonAsync("/api/v1/providers",
                new { code = "KILL1", name = "Kill test", icb_code = "QWO", active_from = "2020-04-01" })).EnsureSuccessStatusCode();
            var issued = await first.Client.PostAsJsonAsync("/api/v1/keys", new { name = "kill", role = "provider", organisation_code = "KILL1" });
            providerKey = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
            first.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", providerKey);

            var csv = new StringBuilder(Returns.ReturnKit.Header + "\n");
            for (var i = 0; i < rows; i++) csv.Append(Returns.ReturnKit.Row($"K{i}")).Append('\n');
            var upload = await first.Client.PostAsync("/api/v1/providers/KILL1/returns/2025-03", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"));
            upload.EnsureSuccessStatusCode();
            id = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
            string? status;
            do status = (await first.Client.GetFromJsonAsync<JsonElement>($"/api/v1/submissions/{id}")).GetProperty("status").GetString();
            while (status == "queued");
            Assert.Equal("validating", status); // killed while it is validating, not before
            await Task.Delay(delayMs);
            var progress = await first.Client.GetFromJsonAsync<JsonElement>($"/api/v1/submissions/{id}");
            interrupted = progress.GetProperty("status").GetString() == "validating"
                ? progress.GetProperty("rows_read").GetInt32() < rows ? "validating" : "storing"
                : "after the decision";
            first.Kill();
        }

        using (var second = new Service(folder, FreePort()))
        {
            await second.ReadyAsync();
            second.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", providerKey);
            var submission = await Eventually.UntilAsync(() => second.Client.GetFromJsonAsync<JsonElement>($"/api/v1/submissions/{id}"),
                s => s.GetProperty("status").GetString() is not ("queued" or "validating" or "failed"), "the restarted service to finish the return",
                TimeSpan.FromMinutes(3), everyMs: 200);
            Assert.Equal("accepted", submission.GetProperty("status").GetString());
            Assert.Equal(rows, submission.GetProperty("row_count").GetInt32());
            // The raw upload goes straight after the decision commits.
            await Eventually.UntilAsync(() => UploadChunks(folder) == 0, "the raw upload to be deleted", TimeSpan.FromSeconds(10));
        }

        SqliteConnection.ClearAllPools();
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "ipsoutcomes.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA integrity_check";
            Assert.Equal("ok", (string)command.ExecuteScalar()!);
            command.CommandText = "SELECT COUNT(*) FROM referrals WHERE provider_code = 'KILL1'";
            Assert.Equal(rows, (long)command.ExecuteScalar()!);
            command.CommandText = "SELECT COUNT(*) FROM submissions WHERE status = 'accepted'";
            Assert.Equal(1L, (long)command.ExecuteScalar()!);
        }
        Assert.Equal(0L, UploadChunks(folder));
        Directory.Delete(folder, recursive: true);
        return interrupted;
    }

    private static long UploadChunks(string folder)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "ipsoutcomes.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM upload_chunks";
        return (long)command.ExecuteScalar()!;
    }
}
