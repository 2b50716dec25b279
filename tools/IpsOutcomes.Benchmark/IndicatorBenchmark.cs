using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace IpsOutcomes.Benchmark;

/// <summary>
/// A national dataset (60 providers across the 42 ICBs, five years of referrals), loaded through the API as each
/// provider's cumulative return, then the indicator timings and the load test of issue 4.
/// </summary>
public static class IndicatorBenchmark
{
    public static async Task<int> RunAsync(string root, string configuration, int referrals, int seconds, bool monthly)
    {
        Console.WriteLine($"Indicator benchmark: {referrals:N0} referrals, 60 providers in 42 ICBs, {(monthly ? "60 monthly returns each" : "one cumulative return each")}, " +
            $"{Environment.ProcessorCount} cores, service built {configuration}");
        await using var service = await ServiceProcess.StartAsync(root, configuration, ServiceProcess.FreePort());
        using var admin = service.Client();
        var icbs = await LoadNationalAsync(service, admin, referrals, monthly);

        var national = await IssueAsync(admin, new { name = "bench national", role = "national", unsuppressed = true });
        var icbKey = await IssueAsync(admin, new { name = "bench icb", role = "icb", organisation_code = icbs[0] });
        using var icbClient = service.Client(icbKey);
        const string series = "period_type=rolling12&from=2022-04&to=2025-03&breakdown=ethnic_group";
        var england = $"/api/v1/indicators?level=england&{series}";
        var oneIcb = $"/api/v1/indicators?level=icb&code={icbs[0]}&{series}";
        var oneProvider = $"/api/v1/indicators?level=provider&code=BP000&{series}";

        // A service runs for weeks: let the JIT's optimising pass reach the request path first (a few seconds of other
        // requests, which leave the result cache for the timed ones cold).
        var dashboard = $"/api/v1/indicators?level=icb&code={icbs[0]}&period_type=rolling12&month=2025-03";
        await Load.RunAsync(service.BaseAddress, dashboard, icbKey, 8, TimeSpan.FromSeconds(3));
        await Load.RunAsync(service.BaseAddress, $"/api/v1/indicators?level=icb&code={icbs[1]}&period_type=month&from=2022-04&to=2025-03&breakdown=gender", icbKey, 8, TimeSpan.FromSeconds(3));
        await TouchAsync(service, admin); // so that England's first request is again the first after a data change

        Console.WriteLine("| request (rolling12, 36 months, ethnic_group) | first after data change s | uncached ms | warm ms | warm ms, gzip decompressed | rows | JSON MB |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, path, key) in new[] { ("England", england, national), ($"ICB {icbs[0]}", oneIcb, icbKey), ("provider BP000", oneProvider, national) })
        {
            using var client = service.Client(key);
            using var plainClient = service.Client(key, gzip: false);
            var (first, rows) = await TimeAsync(client, path);
            // The snapshot is loaded now; a different breakdown misses the result cache and is computed afresh.
            var (uncached, _) = await TimeAsync(client, path.Replace("ethnic_group", "ethnic_category"));
            // Warm: the same request again, to its last byte; the median of 50. Over loopback the answer is fastest
            // uncompressed; a BI tool across a network asks for gzip and spends the time decompressing instead.
            async Task<double> WarmAsync(HttpClient c)
            {
                var times = new List<double>();
                for (var i = 0; i < 50; i++) times.Add((await TimeAsync(c, path, parse: false)).Elapsed.TotalMilliseconds);
                return times.Order().ElementAt(25);
            }
            var warm = await WarmAsync(plainClient);
            var warmGzip = await WarmAsync(client);
            var megabytes = (await plainClient.GetByteArrayAsync(path)).Length / 1048576.0;
            Console.WriteLine($"| {name} | {first.TotalSeconds:F2} | {uncached.TotalMilliseconds:F0} | {warm:F1} | {warmGzip:F1} | {rows:N0} | {megabytes:F1} |");
            // Make the next row's 'first' honest: a new data version drops the result cache and changes one provider.
            await TouchAsync(service, admin);
        }
        // The usual case: England asked before, then one service's return accepted. Only that service is counted again (issue 27).
        using (var client = service.Client(national))
        {
            var (again, rows) = await TimeAsync(client, england);
            Console.WriteLine($"| England, asked before, then one return accepted | {again.TotalSeconds:F2} | | | | {rows:N0} | |");
        }

        Console.WriteLine();
        Console.WriteLine($"| 32 connections, {seconds} s each | requests/s | p50 ms | p99 ms | failures |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        // A dashboard's request (the latest rolling year, every indicator: ~18 rows) and a BI tool's (36 months by ethnic group: ~4,500
        // rows, 2 MB).
        var equality = $"/api/v1/reports/equality?level=icb&code={icbs[0]}&period_type=rolling12&month=2025-03";
        await TimeAsync(icbClient, dashboard);
        await TimeAsync(icbClient, oneIcb);
        var live = await Load.RunAsync(service.BaseAddress, "/health/live", null, 32, TimeSpan.FromSeconds(seconds));
        var warmDashboard = await Load.RunAsync(service.BaseAddress, dashboard, icbKey, 32, TimeSpan.FromSeconds(seconds));
        var warmSeries = await Load.RunAsync(service.BaseAddress, oneIcb, icbKey, 32, TimeSpan.FromSeconds(seconds));
        var warmEquality = await Load.RunAsync(service.BaseAddress, equality, icbKey, 32, TimeSpan.FromSeconds(seconds));
        foreach (var (name, result) in new[] { ("GET /health/live", live), ("warm ICB, latest rolling year (~18 rows)", warmDashboard),
                     ("warm ICB, 36-month ethnic_group series (~4,500 rows)", warmSeries), ("equality report, ICB, rolling year", warmEquality) })
            Console.WriteLine($"| {name} | {result.RequestsPerSecond:N0} | {result.P50Ms:F1} | {result.P99Ms:F1} | {result.Failures} |");
        Console.WriteLine();
        Console.WriteLine($"Warm ICB throughput against the liveness endpoint's: {warmDashboard.RequestsPerSecond / live.RequestsPerSecond:P0} (latest year), " +
            $"{warmSeries.RequestsPerSecond / live.RequestsPerSecond:P0} (36-month series). Service peak RSS {service.PeakMemoryMiB:F0} MiB.");
        return 0;
    }

    /// <summary>
    /// The comparisons of issue 15 on the national dataset: an organisation's spine (England's and an ICB's), and an
    /// SPC series of 36 months for every provider in one request; each first after a data change, then warm.
    /// </summary>
    public static async Task<int> ComparisonsAsync(string root, string configuration, int referrals)
    {
        Console.WriteLine($"Comparisons benchmark: {referrals:N0} referrals, 60 providers in 42 ICBs, {Environment.ProcessorCount} cores, service built {configuration}");
        await using var service = await ServiceProcess.StartAsync(root, configuration, ServiceProcess.FreePort());
        using var admin = service.Client();
        var icbs = await LoadNationalAsync(service, admin, referrals, monthly: false);
        using var national = service.Client(await IssueAsync(admin, new { name = "bench national", role = "national", unsuppressed = true }), gzip: false);
        using var icb = service.Client(await IssueAsync(admin, new { name = "bench icb", role = "icb", organisation_code = icbs[0] }), gzip: false);
        // Warm the request path (the JIT's optimising pass) on other organisations first.
        foreach (var other in icbs.Skip(1).Take(3)) await TimeAsync(national, $"/api/v1/indicators/spine?level=icb&code={other}&month=2025-03", parse: false);

        Console.WriteLine("| request | first after data change s | warm ms (median of 20) | answer KB |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (name, client, path) in new[]
                 {
                     ("spine, England", national, "/api/v1/indicators/spine?level=england&month=2025-03"),
                     ($"spine, ICB {icbs[0]}", icb, $"/api/v1/indicators/spine?level=icb&code={icbs[0]}&month=2025-03"),
                     ("SPC, 36 months, every provider (employment_rate)", national, "/api/v1/indicators/spc?level=provider&from=2022-04&to=2025-03&indicators=employment_rate"),
                 })
        {
            await TouchAsync(service, admin); // a new data version: the first request computes everything afresh
            var (first, _) = await TimeAsync(client, path, parse: false);
            var warm = await MedianAsync(client, path);
            var kilobytes = (await client.GetByteArrayAsync(path)).Length / 1024.0;
            Console.WriteLine($"| {name} | {first.TotalSeconds:F2} | {warm:F1} | {kilobytes:F0} |");
        }
        Console.WriteLine($"Service peak RSS {service.PeakMemoryMiB:F0} MiB.");
        return 0;
    }

    /// <summary>
    /// The charts and commissioner pages of issue 16 on the national dataset: each chart as SVG and PNG, first after a
    /// data change and warm; then each page's time to its last byte, signed in as an ICB analyst, first and warm.
    /// </summary>
    public static async Task<int> ChartsAsync(string root, string configuration, int referrals)
    {
        Console.WriteLine($"Charts benchmark: {referrals:N0} referrals, 60 providers in 42 ICBs, {Environment.ProcessorCount} cores, service built {configuration}");
        await using var service = await ServiceProcess.StartAsync(root, configuration, ServiceProcess.FreePort());
        using var admin = service.Client();
        var icbs = await LoadNationalAsync(service, admin, referrals, monthly: false);
        var icbKey = await IssueAsync(admin, new { name = "bench icb", role = "icb", organisation_code = icbs[0] });
        using var national = service.Client(await IssueAsync(admin, new { name = "bench national", role = "national", unsuppressed = true }), gzip: false);
        using var icb = service.Client(icbKey, gzip: false);
        var charts = new (string Name, HttpClient Client, string Path)[]
        {
            ($"trend, ICB {icbs[0]}, accessed, rolling12 over 36 months", icb, $"trend.{{0}}?level=icb&code={icbs[0]}&period_type=rolling12&from=2022-04&to=2025-03&indicators=accessed"),
            ($"SPC, ICB {icbs[0]}, accessed, 24 months", icb, $"spc.{{0}}?level=icb&code={icbs[0]}&from=2023-04&to=2025-03&indicators=accessed"),
            ("league, every ICB, employment_rate", national, "league.{0}?level=icb&period_type=rolling12&month=2025-03&indicators=employment_rate"),
            ("funnel, every provider, employment_rate", national, "funnel.{0}?level=provider&period_type=rolling12&month=2025-03&indicators=employment_rate"),
            ($"forest, ICB {icbs[0]}, rolling12", icb, $"forest.{{0}}?level=icb&code={icbs[0]}&period_type=rolling12&month=2025-03"),
            ("completeness, England, 12 months", national, "completeness.{0}?from=2024-04&to=2025-03"),
        };
        // Warm the request path (the JIT's optimising pass) on another ICB first.
        foreach (var format in new[] { "svg", "png" })
            for (var i = 0; i < 5; i++) await TimeAsync(icb, $"/api/v1/charts/spc.{format}?level=icb&code={icbs[0]}&from=2023-0{1 + i}&to=2025-03&indicators=referrals", parse: false);

        Console.WriteLine("| chart | SVG first after data change s | SVG warm ms | PNG (1600 px) first s | PNG warm ms | SVG KB | PNG KB |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, client, path) in charts)
        {
            var row = new List<string>();
            var sizes = new List<double>();
            foreach (var format in new[] { "svg", "png" })
            {
                var url = "/api/v1/charts/" + string.Format(CultureInfo.InvariantCulture, path, format);
                await TouchAsync(service, admin);
                var (first, _) = await TimeAsync(client, url, parse: false);
                row.Add(first.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture));
                row.Add((await MedianAsync(client, url)).ToString("F1", CultureInfo.InvariantCulture));
                sizes.Add((await client.GetByteArrayAsync(url)).Length / 1024.0);
            }
            Console.WriteLine($"| {name} | {string.Join(" | ", row)} | {sizes[0]:F0} | {sizes[1]:F0} |");
        }

        // The pages, as an ICB analyst signed in through the sign-in form.
        using var person = await SignInAsync(service, icbKey);
        Console.WriteLine();
        Console.WriteLine($"| page (ICB {icbs[0]}, March 2025) | first after data change s | warm ms (median of 20) | HTML KB |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var page in new[] { "/dashboard", "/providers", "/equality", "/trends", "/board-paper" })
        {
            var url = $"{page}?month=2025-03";
            await TouchAsync(service, admin);
            var (first, _) = await TimeAsync(person, url, parse: false);
            var warm = await MedianAsync(person, url);
            Console.WriteLine($"| {page} | {first.TotalSeconds:F2} | {warm:F1} | {(await person.GetByteArrayAsync(url)).Length / 1024.0:F0} |");
        }
        Console.WriteLine($"Service peak RSS {service.PeakMemoryMiB:F0} MiB.");
        return 0;
    }

    /// <summary>
    /// The quality-mark views of issue 17 on the national dataset with an external review for every provider: an ICB's
    /// view and England's, first after a data change and warm.
    /// </summary>
    public static async Task<int> QualityMarkAsync(string root, string configuration, int referrals)
    {
        Console.WriteLine($"Quality-mark benchmark: {referrals:N0} referrals, 60 providers in 42 ICBs, {Environment.ProcessorCount} cores, service built {configuration}");
        await using var service = await ServiceProcess.StartAsync(root, configuration, ServiceProcess.FreePort());
        using var admin = service.Client();
        var icbs = await LoadNationalAsync(service, admin, referrals, monthly: false);
        var items = new[] { "S1", "S2", "S3", "O1", "O2", "O3", "O4", "O5", "O6", "O7", "O8", "V1", "V2", "V3", "V4", "V5", "V6", "V7", "V8", "V9", "V10", "V11", "V12", "V13", "V14" };
        var file = new System.Text.StringBuilder("provider_code,review_date,kind,reviewer," + string.Join(",", items) + "\n");
        for (var p = 0; p < 60; p++) file.Append($"BP{p:D3},2025-01-15,external,bench,{string.Join(",", items.Select((_, i) => 3 + (p + i) % 3))}\n");
        using (var recorded = await admin.PostAsync("/api/v1/fidelity-reviews", new StringContent(file.ToString(), System.Text.Encoding.UTF8, "text/csv")))
            recorded.EnsureSuccessStatusCode();
        using var national = service.Client(await IssueAsync(admin, new { name = "bench national", role = "national" }), gzip: false);
        using var icb = service.Client(await IssueAsync(admin, new { name = "bench icb", role = "icb", organisation_code = icbs[0] }), gzip: false);

        Console.WriteLine("| request | first after data change s | warm ms (median of 20) | answer KB |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (name, client, path) in new[]
                 {
                     ($"ICB {icbs[0]} quality-mark view", icb, $"/api/v1/icbs/{icbs[0]}/quality-mark?month=2025-03"),
                     ("national quality-mark view (every ICB)", national, "/api/v1/quality-mark?month=2025-03"),
                     ("fidelity beside outcomes, England", national, "/api/v1/fidelity/outcomes"),
                 })
        {
            await TouchAsync(service, admin);
            var (first, _) = await TimeAsync(client, path, parse: false);
            var warm = await MedianAsync(client, path);
            Console.WriteLine($"| {name} | {first.TotalSeconds:F2} | {warm:F1} | {(await client.GetByteArrayAsync(path)).Length / 1024.0:F0} |");
        }
        Console.WriteLine($"Service peak RSS {service.PeakMemoryMiB:F0} MiB.");
        return 0;
    }

    /// <summary>Warm: the same request again to its last byte, the median of 20.</summary>
    private static async Task<double> MedianAsync(HttpClient client, string url)
    {
        var times = new List<double>();
        for (var i = 0; i < 20; i++) times.Add((await TimeAsync(client, url, parse: false)).Elapsed.TotalMilliseconds);
        return times.Order().ElementAt(10);
    }

    /// <summary>A person's browser: a cookie jar, signed in with a key through the sign-in form and its antiforgery token.</summary>
    private static async Task<HttpClient> SignInAsync(ServiceProcess service, string key)
    {
        var handler = new SocketsHttpHandler { CookieContainer = new System.Net.CookieContainer() };
        var client = new HttpClient(handler) { BaseAddress = service.BaseAddress };
        var form = await client.GetStringAsync("/sign-in");
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;
        using var signedIn = await client.PostAsync("/sign-in",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = key, ["__RequestVerificationToken"] = token }));
        signedIn.EnsureSuccessStatusCode();
        return client;
    }

    /// <summary>60 providers across the 42 ICBs, five years of referrals, each provider's returns uploaded through the API. Returns the ICB
    /// codes.</summary>
    internal static async Task<string[]> LoadNationalAsync(ServiceProcess service, HttpClient admin, int referrals, bool monthly)
    {
        var icbs = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/icbs")).EnumerateArray().Select(i => i.GetProperty("code").GetString()!).ToArray();
        var load = Stopwatch.StartNew();
        var perProvider = referrals / 60;
        long rowsUploaded = 0, returns = 0;
        var folder = Directory.CreateTempSubdirectory("ipsoutcomes-bench-").FullName;
        for (var p = 0; p < 60; p++)
        {
            var code = $"BP{p:D3}";
            var key = await service.ProviderKeyAsync(code, icbs[p % icbs.Length]);
            using var client = service.Client(key);
            var files = monthly
                ? ReturnGenerator.WriteMonthly(folder, perProvider, new DateOnly(2025, 3, 31), seed: p)
                : [(Path.Combine(folder, $"{code}.csv"), new DateOnly(2025, 3, 1))];
            if (!monthly) ReturnGenerator.Write(files.First().Path, perProvider, new DateOnly(2025, 3, 31), seed: p);
            foreach (var (file, month) in files)
            {
                rowsUploaded += File.ReadLines(file).LongCount() - 1;
                returns++;
                await ServiceProcess.UploadAsync(client, code, $"{month:yyyy-MM}", file);
                File.Delete(file);
            }
        }
        Directory.Delete(folder, recursive: true);
        Console.WriteLine($"Loaded through the API in {load.Elapsed.TotalSeconds:F0} s: {returns:N0} returns, {rowsUploaded:N0} rows ({rowsUploaded / load.Elapsed.TotalSeconds:N0} rows/s)");
        Console.WriteLine();
        return icbs;
    }

    /// <summary>
    /// The heaviest requests a key can build, one at a time on the national dataset: each one's status, time, size
    /// and the service's resident memory at its highest while it was answered (sampled every 20 ms).
    /// </summary>
    public static async Task<int> WorstAsync(string root, string configuration, int referrals)
    {
        Console.WriteLine($"Worst requests: {referrals:N0} referrals, 60 providers in 42 ICBs, {Environment.ProcessorCount} cores, service built {configuration}");
        await using var service = await ServiceProcess.StartAsync(root, configuration, ServiceProcess.FreePort());
        using var admin = service.Client();
        var icbs = await LoadNationalAsync(service, admin, referrals, monthly: false);
        var national = await IssueAsync(admin, new { name = "bench national", role = "national" });
        var icbKey = await IssueAsync(admin, new { name = "bench icb", role = "icb", organisation_code = icbs[0] });
        const string decade = "period_type=rolling12&from=2015-04&to=2025-03&breakdown=ethnic_category";
        var requests = new (string Name, string Key, string Path)[]
        {
            ("national key: every ICB, 10 years, ethnic_category", national, $"/api/v1/indicators?level=icb&{decade}"),
            ("ICB key: every region, 10 years, ethnic_category", icbKey, $"/api/v1/indicators?level=region&{decade}"),
            ("national key: every ICB, 10 years, ethnic_category, one indicator", national, $"/api/v1/indicators?level=icb&{decade}&indicators=accessed"),
            ("national key: every ICB, 3 years, ethnic_group", national, "/api/v1/indicators?level=icb&period_type=rolling12&from=2022-04&to=2025-03&breakdown=ethnic_group"),
            ("national key: England, 10 years, ethnic_category", national, $"/api/v1/indicators?level=england&{decade}"),
        };
        Console.WriteLine("| request | status | s | MB | service RSS before MiB | service RSS at most MiB |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (name, key, path) in requests)
        {
            using var client = service.Client(key, gzip: false);
            client.Timeout = TimeSpan.FromMinutes(10);
            GC.Collect();
            var before = service.MemoryMiB;
            var highest = before;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    highest = Math.Max(highest, service.MemoryMiB);
                    await Task.Delay(20);
                }
            });
            var watch = Stopwatch.StartNew();
            using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            long bytes = 0;
            await using (var body = await response.Content.ReadAsStreamAsync())
                for (int read; (read = await body.ReadAsync(ReadBuffer)) > 0;) bytes += read;
            watch.Stop();
            await sampling.CancelAsync();
            await sampler;
            Console.WriteLine($"| {name} | {(int)response.StatusCode} | {watch.Elapsed.TotalSeconds:F2} | {bytes / 1048576.0:F1} | {before:F0} | {highest:F0} |");
        }
        Console.WriteLine();
        Console.WriteLine($"Service peak RSS over the whole run (loading included): {service.PeakMemoryMiB:F0} MiB.");
        return 0;
    }

    internal static async Task<string> IssueAsync(HttpClient admin, object request)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/keys", request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
    }

    /// <summary>Time to the whole answer received (decompressed); the rows are counted afterwards, off the clock.</summary>
    private static async Task<(TimeSpan Elapsed, int Rows)> TimeAsync(HttpClient client, string path, bool parse = true)
    {
        var watch = Stopwatch.StartNew();
        if (!parse)
        {
            // To the last byte, through one reused buffer: copying 2 MB answers into new arrays made the client's own
            // garbage collections part of the figure.
            using var streamed = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            await using var content = await streamed.Content.ReadAsStreamAsync();
            while (await content.ReadAsync(ReadBuffer) > 0) { }
            watch.Stop();
            if (!streamed.IsSuccessStatusCode) throw new InvalidOperationException($"{path}: {(int)streamed.StatusCode}");
            return (watch.Elapsed, 0);
        }
        var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsByteArrayAsync();
        watch.Stop();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
        return (watch.Elapsed, JsonDocument.Parse(body).RootElement.GetArrayLength());
    }

    private static readonly byte[] ReadBuffer = new byte[1 << 16];

    /// <summary>A small resubmission for one provider: a new data version, as after any accepted return.</summary>
    internal static async Task TouchAsync(ServiceProcess service, HttpClient admin)
    {
        const string code = "BTOUCH";
        if (!(await admin.GetAsync($"/api/v1/providers/{code}")).IsSuccessStatusCode) await service.ProviderKeyAsync(code, "QWO");
        var csv = ReturnGenerator.Header + "\n" + $"T{DateTime.UtcNow.Ticks},C1,2025-03-03,secondary_mental_health,A,2,30,unemployed,2025-03-10,,,,,,,,,,,\n";
        await ServiceProcess.UploadAsync(admin, code, "2025-03", new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)));
    }
}
