using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace IpsOutcomes.Benchmark;

/// <summary>
/// Publications (issue 25) on the national dataset: cutting one for England while a dashboard is read, its answers as published
/// (first and warm, beside current figures'), the revisions between two publications of a month, and what each keeps.
/// </summary>
public static class PublicationBenchmark
{
    public static async Task<int> RunAsync(string root, string configuration, int referrals)
    {
        Console.WriteLine($"Publications benchmark: {referrals:N0} referrals, 60 providers in 42 ICBs, {Environment.ProcessorCount} cores, service built {configuration}");
        await using var service = await ServiceProcess.StartAsync(root, configuration, ServiceProcess.FreePort());
        using var admin = service.Client();
        var icbs = await IndicatorBenchmark.LoadNationalAsync(service, admin, referrals, monthly: false);
        var icbKey = await IndicatorBenchmark.IssueAsync(admin, new { name = "bench icb", role = "icb", organisation_code = icbs[0] });
        using var national = service.Client(await IndicatorBenchmark.IssueAsync(admin, new { name = "bench national", role = "national" }), gzip: false);
        var dashboard = $"/api/v1/indicators?level=icb&code={icbs[0]}&period_type=rolling12&month=2025-03";
        var england = "/api/v1/indicators?level=england&period_type=rolling12&from=2022-04&to=2025-03&breakdown=ethnic_group";

        // The dashboard's usual rate, then its rate while a publication is cut.
        await Load.RunAsync(service.BaseAddress, dashboard, icbKey, 4, TimeSpan.FromSeconds(3));
        var usual = await Load.RunAsync(service.BaseAddress, dashboard, icbKey, 4, TimeSpan.FromSeconds(5));
        service.DatabaseBytesBeforeCut = DatabaseBytes(service);
        var (frozen, materialised, during) = await CutAsync(service, admin, icbKey, dashboard, "bench-1");
        Console.WriteLine("| cutting a publication for England | s |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine($"| state frozen (cut-off set) | {frozen.TotalSeconds:F1} |");
        Console.WriteLine($"| figures worked out and kept (open data, revisions) | {materialised.TotalSeconds:F1} |");
        Console.WriteLine();
        Console.WriteLine($"Warm dashboard requests during the cut: {during.RequestsPerSecond:N0}/s (p99 {during.P99Ms:F0} ms, {during.Failures} failures) " +
            $"against {usual.RequestsPerSecond:N0}/s usually: {during.RequestsPerSecond / usual.RequestsPerSecond:P0}.");
        Console.WriteLine();

        // As published against current, England's 36-month series by ethnic group.
        Console.WriteLine("| England, rolling year, 36 months by ethnic group | first s | warm ms (median of 20) |");
        Console.WriteLine("|---|---:|---:|");
        foreach (var (name, path) in new[] { ("current figures", england), ("as published (bench-1)", england + "&publication=bench-1") })
        {
            var first = await TimeAsync(national, path);
            Console.WriteLine($"| {name} | {first.TotalSeconds:F2} | {await MedianAsync(national, path):F1} |");
        }
        Console.WriteLine();

        // A correction, a second publication of the month, and the revisions between the two.
        await IndicatorBenchmark.TouchAsync(service, admin); // a correction: one provider's return again
        await CutAsync(service, admin, icbKey, dashboard, "bench-2");
        var revisions = "/api/v1/publications/bench-2/revisions?against=bench-1";
        var firstRevisions = await TimeAsync(national, revisions);
        var report = await national.GetFromJsonAsync<JsonElement>(revisions);
        Console.WriteLine($"Revisions between bench-1 and bench-2 (England, every figure of the month): first {firstRevisions.TotalSeconds:F2} s, " +
            $"warm {await MedianAsync(national, revisions):F0} ms; {report.GetProperty("summary").GetProperty("figures_changed").GetInt32():N0} of " +
            $"{report.GetProperty("summary").GetProperty("figures_compared").GetInt32():N0} figures changed.");
        Console.WriteLine();

        Console.WriteLine("| storage | MB | of the row data |");
        Console.WriteLine("|---|---:|---:|");
        var (rows, kept) = Storage(service);
        Console.WriteLine($"| row data (the database before the first cut: referrals, their jobs and indexes) | {rows / 1e6:F1} | |");
        foreach (var (name, bytes) in kept)
            Console.WriteLine($"| {name} | {bytes / 1e6:F1} | {(double)bytes / rows:P1} |");
        Console.WriteLine($"Service peak RSS {service.PeakMemoryMiB:F0} MiB.");
        return 0;
    }

    /// <summary>Cuts an extra publication and times its two steps, while the dashboard is read.</summary>
    private static async Task<(TimeSpan Frozen, TimeSpan Materialised, LoadResult During)> CutAsync(ServiceProcess service,
        HttpClient admin, string icbKey, string dashboard, string name)
    {
        var watch = Stopwatch.StartNew();
        (await admin.PostAsJsonAsync("/api/v1/publications", new { name, month = "2025-03" })).EnsureSuccessStatusCode();
        var during = Load.RunAsync(service.BaseAddress, dashboard, icbKey, 4, TimeSpan.FromSeconds(10));
        TimeSpan? frozen = null;
        while (true)
        {
            var publication = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/publications/{name}");
            if (frozen is null && publication.GetProperty("cut_off").ValueKind == JsonValueKind.String) frozen = watch.Elapsed;
            const string Kept = "SELECT COUNT(*) FROM publication_parts p JOIN publications u ON u.id = p.publication_id";
            if (frozen is not null && Count(service, $"{Kept} WHERE u.name = '{name}' AND p.part = 'figures'") > 0) break;
            await Task.Delay(100);
        }
        var materialised = watch.Elapsed;
        return (frozen!.Value, materialised, await during);
    }

    private static (long Rows, List<(string Name, long Bytes)> Kept) Storage(ServiceProcess service)
    {
        using var connection = Open(service);
        long Scalar(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(command.ExecuteScalar() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
        }
        // dbstat is not compiled into this SQLite: the referrals and their jobs are all but the whole database (measured before the
        // first cut, so that the publications' own rows are not counted).
        var rows = service.DatabaseBytesBeforeCut;
        var kept = new List<(string, long)>();
        foreach (var name in new[] { "bench-1", "bench-2" })
        {
            var id = Scalar($"SELECT id FROM publications WHERE name = '{name}'");
            var parts = Scalar($"SELECT SUM(LENGTH(content)) FROM publication_parts WHERE publication_id = {id} AND part <> 'figures'");
            var figures = Scalar($"SELECT SUM(LENGTH(content)) FROM publication_parts WHERE publication_id = {id} AND part = 'figures'");
            // The referral states first kept with this publication (others it shares with an earlier one).
            var referralStates = Scalar($"SELECT COALESCE(SUM(LENGTH(content)), 0) FROM frozen_referrals WHERE frozen_at = (SELECT cut_off FROM publications WHERE id = {id})");
            kept.Add(($"{name}: referral states first kept with it", referralStates));
            kept.Add(($"{name}: the other parts (register, submissions, reference data, reviews)", parts));
            kept.Add(($"{name}: its figures (open data)", figures));
        }
        return (rows, kept);
    }

    private static long DatabaseBytes(ServiceProcess service) =>
        Count(service, "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()");

    private static long Count(ServiceProcess service, string sql)
    {
        using var connection = Open(service);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static SqliteConnection Open(ServiceProcess service)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(service.DataFolder, "ipsoutcomes.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }

    private static async Task<TimeSpan> TimeAsync(HttpClient client, string path)
    {
        var watch = Stopwatch.StartNew();
        using var response = await client.GetAsync(path);
        await response.Content.ReadAsByteArrayAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path}: {(int)response.StatusCode}");
        return watch.Elapsed;
    }

    private static async Task<double> MedianAsync(HttpClient client, string path)
    {
        var times = new List<double>();
        for (var i = 0; i < 20; i++) times.Add((await TimeAsync(client, path)).TotalMilliseconds);
        return times.Order().ElementAt(10);
    }
}
