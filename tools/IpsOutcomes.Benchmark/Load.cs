using System.Diagnostics;
using System.Net.Http.Headers;

namespace IpsOutcomes.Benchmark;

public sealed record LoadResult(double RequestsPerSecond, double P50Ms, double P99Ms, int Requests, int Failures);

/// <summary>A bounded closed-loop load on one URL of the local service: N connections, each sending the next request when the last
/// answers.</summary>
public static class Load
{
    public static async Task<LoadResult> RunAsync(Uri baseAddress, string path, string? key, int connections, TimeSpan duration)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = System.Net.DecompressionMethods.GZip, // as BI tools do
        };
        using var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        // Warm up the connections and the server's caches.
        for (var i = 0; i < connections; i++) await (await client.GetAsync(path)).Content.ReadAsByteArrayAsync();

        var latencies = new List<double>[connections];
        var failures = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async worker =>
        {
            var mine = latencies[worker] = [];
            while (clock.Elapsed < duration)
            {
                var started = clock.Elapsed;
                using var response = await client.GetAsync(path);
                await response.Content.ReadAsByteArrayAsync();
                if (!response.IsSuccessStatusCode) Interlocked.Increment(ref failures);
                mine.Add((clock.Elapsed - started).TotalMilliseconds);
            }
        }));
        var elapsed = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new LoadResult(all.Length / elapsed, all[all.Length / 2], all[(int)(all.Length * 0.99)], all.Length, failures);
    }
}
