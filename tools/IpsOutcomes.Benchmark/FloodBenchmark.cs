using System.Diagnostics;
using System.Globalization;

namespace IpsOutcomes.Benchmark;

/// <summary>
/// Issue 22's floods on the national dataset: the heaviest mix an ordinary ICB key sent (eight decade-long requests by
/// ethnic category with every comparator, trend and quartiles, four at a time), the same mix within the row budget,
/// and 240 PNG charts from one key, 16 at a time, each at a width of its own. Throughout, another ICB's key asks for its
/// dashboard figures every 20 ms, and the service's memory is sampled every 20 ms.
/// </summary>
public static class FloodBenchmark
{
    public static async Task<int> RunAsync(string root, string configuration, int referrals)
    {
        Console.WriteLine($"Flood benchmark: {referrals:N0} referrals, 60 providers in 42 ICBs, {Environment.ProcessorCount} cores, service built {configuration}");
        await using var service = await ServiceProcess.StartAsync(root, configuration, ServiceProcess.FreePort());
        using var admin = service.Client();
        var icbs = await IndicatorBenchmark.LoadNationalAsync(service, admin, referrals, monthly: false);
        var attacker = await IndicatorBenchmark.IssueAsync(admin, new { name = "flood icb", role = "icb", organisation_code = icbs[0] });
        var bystander = await IndicatorBenchmark.IssueAsync(admin, new { name = "other icb", role = "icb", organisation_code = icbs[1] });
        using var other = service.Client(bystander, gzip: false);
        var dashboard = $"/api/v1/indicators?level=icb&code={icbs[1]}&period_type=rolling12&month=2025-03";
        for (var i = 0; i < 50; i++) await (await other.GetAsync(dashboard)).Content.ReadAsByteArrayAsync(); // warm

        const string decade = "period_type=rolling12&from=2015-04&to=2025-03&breakdown=ethnic_category";
        var phases = new (string Name, int Concurrency, string[] Paths)[]
        {
            ("quiet (no flood)", 1, []),
            ("issue 22's mix: every provider, decade, ethnic_category, every comparator, trend, quartile", 4,
                Enumerable.Range(0, 8).Select(i => $"/api/v1/indicators?level=provider&within={icbs[0]}&{decade}&compare=icb,region,england,benchmark" +
                    $"&trend=true&quartile=true&confidence={(i % 2 == 0 ? "95" : "99.8")}&format={(i % 4 < 2 ? "json" : "csv")}").ToArray()),
            ("within the budget: every provider, decade, ethnic_category, compare=icb, trend", 4,
                Enumerable.Range(0, 16).Select(i => $"/api/v1/indicators?level=provider&within={icbs[0]}&{decade}&compare=icb&trend=true" +
                    $"&confidence={(i % 2 == 0 ? "95" : "99.8")}&format={(i % 4 < 2 ? "json" : "csv")}").ToArray()),
            ("240 PNG charts, each its own width", 16,
                Enumerable.Range(0, 240).Select(i => $"/api/v1/charts/{(i % 2 == 0 ? "trend" : "spc")}.png?level=icb&code={icbs[0]}" +
                    $"&from=2023-04&to=2025-03&indicators=accessed&width={320 + 15 * i}").ToArray()),
        };
        Console.WriteLine("| phase | requests | statuses | s | MB answered | other key's dashboard p50 / p99 / max ms | service RSS at most MiB |");
        Console.WriteLine("|---|---:|---|---:|---:|---|---:|");
        var (worstP99, peak) = (0.0, 0.0);
        foreach (var (name, concurrency, paths) in phases)
        {
            GC.Collect();
            var highest = service.MemoryMiB;
            var latencies = new List<double>();
            using var stop = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    highest = Math.Max(highest, service.MemoryMiB);
                    await Task.Delay(20);
                }
            });
            var prober = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var watch = Stopwatch.StartNew();
                    using var response = await other.GetAsync(dashboard, HttpCompletionOption.ResponseHeadersRead);
                    await response.Content.CopyToAsync(Stream.Null);
                    latencies.Add(watch.Elapsed.TotalMilliseconds);
                    await Task.Delay(20);
                }
            });
            var statuses = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
            long bytes = 0;
            var flood = Stopwatch.StartNew();
            var queue = new System.Collections.Concurrent.ConcurrentQueue<string>(paths);
            if (paths.Length == 0) await Task.Delay(TimeSpan.FromSeconds(10));
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                using var client = service.Client(attacker, gzip: false);
                client.Timeout = TimeSpan.FromMinutes(10);
                while (queue.TryDequeue(out var path))
                {
                    using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
                    await using var body = await response.Content.ReadAsStreamAsync();
                    var buffer = new byte[1 << 16];
                    for (int read; (read = await body.ReadAsync(buffer)) > 0;) Interlocked.Add(ref bytes, read);
                    statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                }
            }));
            flood.Stop();
            await stop.CancelAsync();
            await Task.WhenAll(sampler, prober);
            var sorted = latencies.Order().ToList();
            double At(double q) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];
            var p99 = At(0.99);
            if (paths.Length > 0) worstP99 = Math.Max(worstP99, p99);
            peak = Math.Max(peak, highest);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {paths.Length} | {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Value}×{s.Key}"))} | {flood.Elapsed.TotalSeconds:F1} | " +
                $"{bytes / 1048576.0:F1} | {At(0.5):F1} / {p99:F1} / {sorted.LastOrDefault():F1} ({sorted.Count}) | {highest:F0} |"));
        }
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"flood: peak MiB {peak:F0} (target under 1536), other key's dashboard p99 during the floods {worstP99:F1} ms (target under 100)"));
        return 0;
    }
}
