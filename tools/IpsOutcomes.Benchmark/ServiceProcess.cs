using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace IpsOutcomes.Benchmark;

/// <summary>The real service, started as its own process on a fresh data folder, so its memory can be measured alone.</summary>
public sealed partial class ServiceProcess : IAsyncDisposable
{
    private readonly Process process;
    public string DataFolder { get; }
    public Uri BaseAddress { get; }
    public string AdminKey { get; }
    public int Pid => process.Id;

    /// <summary>Set by a benchmark that measures what its own steps add to the database.</summary>
    public long DatabaseBytesBeforeCut { get; set; }

    private ServiceProcess(Process process, string dataFolder, Uri baseAddress, string adminKey)
    {
        this.process = process;
        DataFolder = dataFolder;
        BaseAddress = baseAddress;
        AdminKey = adminKey;
    }

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"ipso_\d+_[A-Za-z0-9_-]{43}")]
    private static partial Regex Secret();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex Token();

    /// <summary>A person's page session, signed in with a key through the form as a browser would (cookies kept, redirects not
    /// followed).</summary>
    public static async Task<HttpClient> PageSessionAsync(Uri service, string key)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new System.Net.CookieContainer() })
        {
            BaseAddress = service,
            Timeout = TimeSpan.FromSeconds(60),
        };
        var token = Token().Match(await client.GetStringAsync("/sign-in")).Groups[1].Value;
        var signedIn = await client.PostAsync("/sign-in",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = key, ["__RequestVerificationToken"] = token }));
        if (signedIn.StatusCode != System.Net.HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Key sign-in answered {signedIn.StatusCode}");
        return client;
    }

    public static async Task<ServiceProcess> StartAsync(string repositoryRoot, string configuration, int port,
        IEnumerable<string>? settings = null)
    {
        var dll = Path.Combine(repositoryRoot, "src", "IpsOutcomes.Api", "bin", configuration, "net10.0", "IpsOutcomes.Api.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"Build the service first: {dll}");
        var dataFolder = Path.Combine(Path.GetTempPath(), "ipsoutcomes-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataFolder);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = dataFolder,
        };
        foreach (var argument in new[]
                 {
                     dll, "--urls", $"http://127.0.0.1:{port}", "--DataFolder", dataFolder,
                     "--Logging:Console:FormatterName", "simple", "--Logging:LogLevel:Default", "Warning",
                     "--Logging:LogLevel:IpsOutcomes.Submissions", "Information",
                     // A million-row return is about 115 MB: above the 50 MB default, within the row limit.
                     "--Returns:MaxBytes", "400000000",
                     // The load test is one key at thousands of requests a second: no per-key limits here.
                     "--RateLimits:ReadsPerMinute", "0", "--RateLimits:UploadsPerMinute", "0",
                 }.Concat(settings ?? []))
            start.ArgumentList.Add(argument);
        var process = Process.Start(start)!;
        var adminKey = new TaskCompletionSource<string>();
        ServiceProcess? service = null;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line) return;
            if (Secret().Match(line) is { Success: true } match) adminKey.TrySetResult(match.Value);
            else if (line.Contains("validated in",
                StringComparison.Ordinal)) { if (service is { } started) Volatile.Write(ref started.lastTiming, line.Trim()); }
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) Console.Error.WriteLine($"  [service] {line}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var key = await adminKey.Task.WaitAsync(TimeSpan.FromSeconds(60));
        service = new ServiceProcess(process, dataFolder, new Uri($"http://127.0.0.1:{port}"), key);
        using var probe = new HttpClient { BaseAddress = service.BaseAddress };
        for (var attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                if ((await probe.GetAsync("/health/ready")).IsSuccessStatusCode) return service;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("The service did not become ready.");
    }

    /// <summary>A client for the service; <paramref name="gzip"/>: asks for compressed answers and decompresses them, as BI tools
    /// do.</summary>
    public HttpClient Client(string? key = null, bool gzip = true)
    {
        var client = new HttpClient(new SocketsHttpHandler
        {
            AutomaticDecompression = gzip ? System.Net.DecompressionMethods.GZip
            : System.Net.DecompressionMethods.None
        })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromMinutes(10),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", key ?? AdminKey);
        return client;
    }

    /// <summary>
    /// Uploads a CSV return and polls until it is decided (a failed job is retried by the service); throws unless it
    /// was accepted. Answers how long the upload took and how long until `accepted`, both from the start.
    /// </summary>
    public static async Task<(TimeSpan Uploaded, TimeSpan Accepted)> UploadAsync(HttpClient client, string provider, string month,
        string path)
    {
        await using var csv = File.OpenRead(path);
        return await UploadAsync(client, provider, month, csv);
    }

    public static async Task<(TimeSpan Uploaded, TimeSpan Accepted)> UploadAsync(HttpClient client, string provider, string month,
        Stream csv)
    {
        var watch = Stopwatch.StartNew();
        var content = new StreamContent(csv, 1 << 20);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var response = await client.PostAsync($"/api/v1/providers/{provider}/returns/{month}", content);
        response.EnsureSuccessStatusCode();
        var uploaded = watch.Elapsed;
        await WaitUntilAcceptedAsync(client, response, $"{provider}'s {month} return");
        return (uploaded, watch.Elapsed);
    }

    /// <summary>The slowest status poll of the last upload waited for: a poll that waits is a service whose threads are all held
    /// (round 12 in docs/benchmarks.md).</summary>
    public static TimeSpan LastSlowestPoll { get; private set; }

    /// <summary>Polls the submission an upload answered with until it is decided (a failed job is retried); throws unless
    /// accepted.</summary>
    private static async Task WaitUntilAcceptedAsync(HttpClient api, HttpResponseMessage response, string what)
    {
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        JsonElement submission;
        var slowest = TimeSpan.Zero;
        do
        {
            await Task.Delay(20);
            var asked = Stopwatch.GetTimestamp();
            submission = await api.GetFromJsonAsync<JsonElement>($"/api/v1/submissions/{id}");
            if (Stopwatch.GetElapsedTime(asked) is var took && took > slowest) slowest = took;
        } while (submission.GetProperty("status").GetString() is "queued" or "validating" or "failed");
        LastSlowestPoll = slowest;
        if (submission.GetProperty("status").GetString() != "accepted")
            throw new InvalidOperationException($"{what} was not accepted: {submission}");
    }

    /// <summary>
    /// The same, through the send page as a person's browser sends it: signed in with the key (a cookie session), the
    /// form's antiforgery token first, then the month, then the file, streamed. Polls through the API.
    /// </summary>
    public async Task<(TimeSpan Uploaded, TimeSpan Accepted)> UploadThroughPageAsync(HttpClient api, string key, string month, string path)
    {
        using var browser = new HttpClient(new HttpClientHandler
        {
            CookieContainer = new System.Net.CookieContainer(),
            AllowAutoRedirect = true
        })
        {
            BaseAddress = api.BaseAddress,
            Timeout = TimeSpan.FromMinutes(10),
        };
        static string Token(string page) =>
            System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;
        var signIn = await browser.PostAsync("/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["key"] = key,
            ["__RequestVerificationToken"] = Token(await browser.GetStringAsync("/sign-in")),
        }));
        signIn.EnsureSuccessStatusCode();
        var token = Token(await browser.GetStringAsync("/send-a-return"));

        await using var csv = File.OpenRead(path);
        var watch = Stopwatch.StartNew();
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(month), "period" },
        };
        var file = new StreamContent(csv, 1 << 20);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", Path.GetFileName(path));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/send-a-return?handler=send") { Content = form };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var response = await browser.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var uploaded = watch.Elapsed;
        await WaitUntilAcceptedAsync(api, response, $"The {month} return sent through the page");
        return (uploaded, watch.Elapsed);
    }

    /// <summary>Registers a provider and returns a key that may upload for it.</summary>
    public async Task<string> ProviderKeyAsync(string code, string icb)
    {
        using var admin = Client();
        (await admin.PostAsJsonAsync("/api/v1/providers", new { code, name = $"{code} IPS", icb_code = icb, active_from = "2015-04-01" }))
            .EnsureSuccessStatusCode();
        var issued = await admin.PostAsJsonAsync("/api/v1/keys", new { name = code, role = "provider", organisation_code = code });
        issued.EnsureSuccessStatusCode();
        return (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
    }

    private string? lastTiming;

    /// <summary>The service's log line for the last submission it decided: how long validating, storing and committing took.</summary>
    public async Task<string?> LastTimingAsync()
    {
        // The line is logged after the decision is visible to clients, once the upload is deleted and checkpointed.
        for (var i = 0; i < 600 && Volatile.Read(ref lastTiming) is null; i++) await Task.Delay(100);
        return Interlocked.Exchange(ref lastTiming, null);
    }

    /// <summary>Peak resident memory of the service process so far (VmHWM), in MiB.</summary>
    public double PeakMemoryMiB => ReadStatus("VmHWM:");

    public double MemoryMiB => ReadStatus("VmRSS:");

    private double ReadStatus(string field)
    {
        var line = File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line[field.Length..].Trim().Split(' ')[0]) / 1024.0;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
        try { Directory.Delete(DataFolder, recursive: true); } catch (IOException) { }
    }
}
