using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace IpsOutcomes.Benchmark;

/// <summary>The month-end burst's sizes (issue 27), the defaults as it was measured by hand.</summary>
public sealed record BurstOptions(int Icbs = 42, int Providers = 200, int Months = 24, long HistoryRows = 1_090_000, int Uploads = 240,
    int Corrections = 40, int Analysts = 40, int BiClients = 5, int WindowSeconds = 300, int BaselineSeconds = 100, int MinRows = 177,
    int MaxRows = 2994);

/// <summary>
/// A month end, England-sized (issue 27): every service's history of monthly returns, then a baseline of ICB analysts reading
/// their pages (signed in through the form, 1 s between pages), BI tools pulling a CSV every 10 s and a liveness probe; then
/// the same while every service sends its return for the month just ended, some twice, some rejected first, inside a window.
/// It prints the uploads' and the pages' latencies with and without the burst, and checks afterwards, in the database, that
/// every accepted row is counted and no rejected or superseded one.
/// </summary>
public static class BurstBenchmark
{
    private static readonly string[] Pages = ["/dashboard", "/providers", "/equality", "/trends"];

    private sealed record Reading(string Phase, string What, double Ms, int Status, string Path);

    private sealed record Upload(string Provider, int Order, double At, bool Broken, bool Correction)
    {
        public double Accepted { get; set; } = double.NaN; // the POST answered
        public double Decided { get; set; } = double.NaN;  // accepted or rejected, from the window's start
        public string Status { get; set; } = "";
        public long Id { get; set; }
        public double Started { get; set; }
    }

    public static async Task<int> RunAsync(string root, string configuration, BurstOptions o)
    {
        Console.WriteLine($"Month-end burst: {o.Providers} services in {o.Icbs} ICBs, {o.Months} months of history (~{o.HistoryRows:N0} rows), then " +
            $"{o.Uploads} uploads ({o.Corrections} corrections) in {o.WindowSeconds} s while {o.Analysts} analysts read pages and {o.BiClients} BI " +
            $"clients pull a CSV every 10 s; baseline {o.BaselineSeconds} s. {Environment.ProcessorCount} cores, service built {configuration}.");
        await using var service = await ServiceProcess.StartAsync(root, configuration, ServiceProcess.FreePort(), ["--Pages:SignInsPerMinute", "0"]);
        using var admin = service.Client();
        var icbs = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/icbs")).EnumerateArray().Select(i => i.GetProperty("code").GetString()!)
            .Take(o.Icbs).ToArray();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var burstMonth = new DateOnly(today.Year, today.Month, 1).AddMonths(-1); // the month just ended
        var providers = Enumerable.Range(0, o.Providers).Select(p => (Code: $"MB{p:D3}", Icb: icbs[p % icbs.Length])).ToArray();
        var keys = new Dictionary<string, string>();
        foreach (var (code, icb) in providers) keys[code] = await service.ProviderKeyAsync(code, icb);
        var folder = Directory.CreateTempSubdirectory("ipsoutcomes-burst-").FullName;

        // History: each service's monthly returns, the same referrals month after month, as a running service would hold.
        var history = Stopwatch.StartNew();
        var perReturn = (int)(o.HistoryRows / ((long)o.Providers * o.Months));
        var random = new Random(27);
        var sizes = providers.ToDictionary(p => p.Code, _ => Math.Max(20, (int)(perReturn * (0.5 + random.NextDouble()))));
        long historyRows = 0;
        var queue = new ConcurrentQueue<(string Code, DateOnly Month)>(
            from month in Enumerable.Range(1, o.Months).Select(k => burstMonth.AddMonths(-o.Months - 1 + k))
            from p in providers
            select (p.Code, month));
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            while (queue.TryDequeue(out var item))
            {
                var path = Path.Combine(folder, $"{item.Code}-{item.Month:yyyy-MM}.csv");
                ReturnGenerator.Write(path, sizes[item.Code], item.Month.AddMonths(1).AddDays(-1), seed: Seed(item.Code));
                using var client = service.Client(keys[item.Code]);
                await ServiceProcess.UploadAsync(client, item.Code, $"{item.Month:yyyy-MM}", path);
                Interlocked.Add(ref historyRows, sizes[item.Code]);
                File.Delete(path);
            }
        }));
        Console.WriteLine($"History loaded through the API in {history.Elapsed.TotalSeconds:F0} s: {o.Providers * o.Months:N0} returns, {historyRows:N0} rows.");

        // The burst's uploads: every service once at a random moment, a tenth of them broken (rejected); then corrections,
        // first of the broken ones, each some time after the first.
        var uploads = new List<Upload>();
        var window = o.WindowSeconds;
        foreach (var (code, index) in providers.Take(o.Uploads - o.Corrections).Select((p, i) => (p.Code, i)))
            uploads.Add(new Upload(code, 1, random.NextDouble() * window * 0.6, index % 10 == 3, false));
        foreach (var first in uploads.OrderByDescending(u => u.Broken).ThenBy(_ => random.Next()).Take(o.Corrections).ToList())
            uploads.Add(new Upload(first.Provider, 2, first.At + 10 + random.NextDouble() * (window * 0.85 - first.At - 10), false, true));
        var burstSizes = providers.ToDictionary(p => p.Code, _ => random.Next(o.MinRows, o.MaxRows + 1));

        // Readers: analysts signed in through the form, BI tools with a national key, and a liveness probe.
        var readings = new ConcurrentBag<Reading>();
        var phase = "warm-up";
        using var stop = new CancellationTokenSource();
        var analystKeys = new List<string>();
        for (var a = 0; a < o.Analysts; a++)
            analystKeys.Add(await IndicatorBenchmark.IssueAsync(admin,
                new { name = $"analyst {a}", role = "icb", organisation_code = icbs[a % icbs.Length] }));
        var national = await IndicatorBenchmark.IssueAsync(admin, new { name = "BI refresh", role = "national" });
        // Every ICB's months of the history and the burst: a BI tool's refresh of its ICB table, about 2 MB.
        var csv = $"/api/v1/indicators?level=icb&period_type=month&from={burstMonth.AddMonths(-o.Months):yyyy-MM}&to={burstMonth:yyyy-MM}&format=csv";
        long csvBytes = 0;
        var readers = new List<Task>();
        foreach (var key in analystKeys)
        {
            var session = await ServiceProcess.PageSessionAsync(service.BaseAddress, key);
            var start = random.Next(Pages.Length); // drawn here: Random is not for several threads at once
            readers.Add(Task.Run(async () =>
            {
                using (session)
                    for (var i = start; !stop.IsCancellationRequested; i++)
                    {
                        readings.Add(await TimeAsync(session, Pages[i % Pages.Length], phase, "page"));
                        await Delay(1000, stop.Token);
                    }
            }));
        }
        for (var b = 0; b < o.BiClients; b++)
        {
            var offset = b * 10_000 / o.BiClients;
            readers.Add(Task.Run(async () =>
            {
                using var bi = service.Client(national);
                await Delay(offset, stop.Token);
                while (!stop.IsCancellationRequested)
                {
                    var reading = await TimeAsync(bi, csv, phase, "csv", bytes => Interlocked.Exchange(ref csvBytes, bytes));
                    readings.Add(reading);
                    await Delay(10_000, stop.Token);
                }
            }));
        }
        readers.Add(Task.Run(async () =>
        {
            using var probe = new HttpClient { BaseAddress = service.BaseAddress };
            while (!stop.IsCancellationRequested)
            {
                readings.Add(await TimeAsync(probe, "/health/live", phase, "live"));
                await Delay(100, stop.Token);
            }
        }));

        await Task.Delay(TimeSpan.FromSeconds(20)); // every reader signed in and its caches warm
        phase = "baseline";
        await Task.Delay(TimeSpan.FromSeconds(o.BaselineSeconds));
        phase = "burst";
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(uploads.Select(u => SendAsync(service, keys[u.Provider], u, burstMonth, burstSizes[u.Provider], folder, clock,
            uploads.Where(other => other.Provider == u.Provider && other.Order < u.Order).ToList())));
        var remaining = TimeSpan.FromSeconds(window) - clock.Elapsed;
        if (remaining > TimeSpan.Zero) await Task.Delay(remaining); // the readers go on to the window's end
        phase = "after";
        stop.Cancel();
        await Task.WhenAll(readers);
        Directory.Delete(folder, recursive: true);

        Report(o, uploads, [.. readings], csvBytes, service.PeakMemoryMiB, Check(service, burstMonth));
        return 0;
    }

    /// <summary>One upload at its moment in the window: sent, then followed until decided.</summary>
    private static async Task SendAsync(ServiceProcess service, string key, Upload upload, DateOnly month, int rows, string folder,
        Stopwatch clock, List<Upload> before)
    {
        var wait = TimeSpan.FromSeconds(upload.At) - clock.Elapsed;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        // A correction follows its first upload's verdict, as a team leader would.
        while (before.Any(b => double.IsNaN(b.Decided))) await Task.Delay(200);
        var path = Path.Combine(folder, $"burst-{upload.Provider}-{upload.Order}.csv");
        ReturnGenerator.Write(path, rows, month.AddMonths(1).AddDays(-1), seed: Seed(upload.Provider) + upload.Order);
        if (upload.Broken) Break(path);
        using var client = service.Client(key);
        upload.Started = clock.Elapsed.TotalSeconds;
        using var content = new StreamContent(File.OpenRead(path));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using var response = await client.PostAsync($"/api/v1/providers/{upload.Provider}/returns/{month:yyyy-MM}", content);
        upload.Accepted = clock.Elapsed.TotalSeconds - upload.Started;
        if (!response.IsSuccessStatusCode)
        {
            (upload.Status, upload.Decided) = ($"HTTP {(int)response.StatusCode}", clock.Elapsed.TotalSeconds);
            return;
        }
        upload.Id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        string status;
        do
        {
            await Task.Delay(250);
            status = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/submissions/{upload.Id}")).GetProperty("status").GetString()!;
        } while (status is "queued" or "validating" or "failed");
        (upload.Status, upload.Decided) = (status, clock.Elapsed.TotalSeconds);
        File.Delete(path);
    }

    /// <summary>A service's seed, the same in every run (a string's hash code is not).</summary>
    private static int Seed(string provider) => int.Parse(provider[2..], System.Globalization.CultureInfo.InvariantCulture) * 7919;

    /// <summary>A return a team leader would get back: one row's ethnic category is not a code.</summary>
    private static void Break(string path)
    {
        var lines = File.ReadAllLines(path);
        var cells = lines[Math.Min(5, lines.Length - 1)].Split(',');
        cells[4] = "XX";
        lines[Math.Min(5, lines.Length - 1)] = string.Join(',', cells);
        File.WriteAllLines(path, lines);
    }

    /// <summary>In the database: the month's current submissions' rows are all there, and no row of a rejected or superseded one.</summary>
    private static (long Counted, long Expected, long Stray) Check(ServiceProcess service, DateOnly month)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(service.DataFolder, "ipsoutcomes.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT
              (SELECT COUNT(*) FROM referrals r JOIN submissions s ON s.id = r.submission_id WHERE s.period = $month AND s.status = 'accepted'),
              (SELECT COALESCE(SUM(row_count), 0) FROM submissions WHERE period = $month AND status = 'accepted'),
              (SELECT COUNT(*) FROM referrals r JOIN submissions s ON s.id = r.submission_id WHERE s.period = $month AND s.status <> 'accepted')
            """;
        command.Parameters.AddWithValue("$month", $"{month:yyyy-MM}");
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    private static void Report(BurstOptions o, List<Upload> uploads, Reading[] readings, long csvBytes, double peakMiB,
        (long Counted, long Expected, long Stray) rows)
    {
        var decided = uploads.Count(u => u.Status is "accepted" or "rejected" && u.Decided <= o.WindowSeconds);
        Console.WriteLine();
        Console.WriteLine($"Uploads: {uploads.Count} ({uploads.Count(u => u.Status == "accepted")} accepted, {uploads.Count(u => u.Status == "rejected")} " +
            $"rejected, {uploads.Count(u => u.Status is not ("accepted" or "rejected"))} other); decided inside the window: {decided}/{uploads.Count}.");
        Console.WriteLine("| upload | p50 s | p95 s | p99 s | max s |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        Row("POST answered (202)", uploads.Select(u => u.Accepted).ToList());
        Row("upload to decided", uploads.Select(u => u.Decided - u.Started).ToList());
        Console.WriteLine();
        Console.WriteLine($"| reads | baseline p50 / p95 / p99 ms | burst p50 / p95 / p99 ms | p99 ratio | requests (baseline, burst) |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        double pageRatio = 0;
        foreach (var what in new[] { "page", "csv", "live" })
        {
            var baseline = readings.Where(r => r.What == what && r.Phase == "baseline").Select(r => r.Ms).ToList();
            var burst = readings.Where(r => r.What == what && r.Phase == "burst").Select(r => r.Ms).ToList();
            var ratio = P(burst, 0.99) / P(baseline, 0.99);
            if (what == "page") pageRatio = ratio;
            Console.WriteLine($"| {(what == "csv" ? $"BI CSV ({csvBytes / 1048576.0:F1} MB)" : what == "live" ? "/health/live" : "analysts' pages")} | " +
                $"{P(baseline, 0.5):F0} / {P(baseline, 0.95):F0} / {P(baseline, 0.99):F0} | {P(burst, 0.5):F0} / {P(burst, 0.95):F0} / {P(burst, 0.99):F0} | " +
                $"{ratio:F1} | {baseline.Count:N0}, {burst.Count:N0} |");
        }
        Console.WriteLine("Each page in the burst, p95 / p99 ms: " + string.Join(", ", Pages.Select(page =>
        {
            var times = readings.Where(r => r.Path == page && r.Phase == "burst").Select(r => r.Ms).ToList();
            return $"{page} {P(times, 0.95):F0} / {P(times, 0.99):F0}";
        })) + ".");
        var errors = readings.Where(r => r.Status is < 200 or >= 400).GroupBy(r => r.Status).Select(g => $"{g.Key}: {g.Count()}").ToList();
        var errorCount = readings.Count(r => r.Status is < 200 or >= 400)
            + uploads.Count(u => u.Status.StartsWith("HTTP", StringComparison.Ordinal));
        Console.WriteLine();
        Console.WriteLine($"Errors by status: {(errors.Count == 0 ? "none" : string.Join(", ", errors))}. Service peak RSS {peakMiB:F0} MiB.");
        Console.WriteLine($"Rows of the month: {rows.Counted:N0} counted of {rows.Expected:N0} accepted; {rows.Stray:N0} of rejected or superseded returns.");
        Console.WriteLine($"burst: decided {decided}/{uploads.Count}, errors {errorCount}, page p99 ratio {pageRatio:F1}, peak MiB {peakMiB:F0}" +
            $"{(rows.Counted == rows.Expected && rows.Stray == 0 ? "" : ", ROWS WRONG")}");
    }

    private static async Task<Reading> TimeAsync(HttpClient client, string path, string phase, string what, Action<long>? size = null)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await client.GetAsync(path);
            var body = await response.Content.ReadAsByteArrayAsync();
            size?.Invoke(body.Length);
            return new Reading(phase, what, watch.Elapsed.TotalMilliseconds, (int)response.StatusCode, path);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new Reading(phase, what, watch.Elapsed.TotalMilliseconds, 0, path);
        }
    }

    private static async Task Delay(int milliseconds, CancellationToken ct)
    {
        try
        {
            await Task.Delay(milliseconds, ct);
        }
        catch (TaskCanceledException)
        {
            // the run is over
        }
    }

    private static void Row(string what, List<double> values) =>
        Console.WriteLine($"| {what} | {P(values, 0.5):F2} | {P(values, 0.95):F2} | {P(values, 0.99):F2} | {values.Where(v => !double.IsNaN(v)).DefaultIfEmpty().Max():F2} |");

    private static double P(List<double> values, double q)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * q))];
    }
}
