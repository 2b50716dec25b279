using System.Diagnostics;
using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using IpsOutcomes.Benchmark;

// dotnet run -c Release --project tools/IpsOutcomes.Benchmark -- ingest [--rows 100000,1000000] [--via api|pages]
//                                                          -- generate [--rows 1000000] [--out return.csv]
//                                                          -- indicators [--referrals 1000000] [--seconds 10] [--monthly]
//                                                          -- comparisons [--referrals 1000000]
//                                                          -- charts [--referrals 1000000]
//                                                          -- quality-mark [--referrals 1000000]
//                                                          -- worst [--referrals 1000000] [--service-root PATH]
//                                                          -- flood [--referrals 1000000] [--service-root PATH]
//                                                          -- publications [--referrals 1000000]
//                                                          -- sign-in [--times 50]
//                                                          -- burst [--providers 200] [--months 24] [--uploads 240] ... (BurstBenchmark)
var command = args.FirstOrDefault() ?? "ingest";
string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
var root = FindRepositoryRoot();
var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

if (command == "indicators") return await IndicatorBenchmark.RunAsync(root, configuration,
    int.Parse(Option("--referrals") ?? "1000000", CultureInfo.InvariantCulture), int.Parse(Option("--seconds") ?? "10", CultureInfo.InvariantCulture),
    args.Contains("--monthly"));
if (command == "comparisons") return await IndicatorBenchmark.ComparisonsAsync(root, configuration,
    int.Parse(Option("--referrals") ?? "1000000", CultureInfo.InvariantCulture));
if (command == "charts") return await IndicatorBenchmark.ChartsAsync(root, configuration,
    int.Parse(Option("--referrals") ?? "1000000", CultureInfo.InvariantCulture));
if (command == "quality-mark") return await IndicatorBenchmark.QualityMarkAsync(root, configuration,
    int.Parse(Option("--referrals") ?? "1000000", CultureInfo.InvariantCulture));
if (command == "worst") return await IndicatorBenchmark.WorstAsync(Option("--service-root") ?? root, configuration,
    int.Parse(Option("--referrals") ?? "1000000", CultureInfo.InvariantCulture));
if (command == "flood") return await FloodBenchmark.RunAsync(Option("--service-root") ?? root, configuration,
    int.Parse(Option("--referrals") ?? "1000000", CultureInfo.InvariantCulture));
if (command == "publications") return await PublicationBenchmark.RunAsync(root, configuration,
    int.Parse(Option("--referrals") ?? "1000000", CultureInfo.InvariantCulture));
if (command == "sign-in") return await SignInBenchmark.RunAsync(root, configuration,
    int.Parse(Option("--times") ?? "50", CultureInfo.InvariantCulture));
if (command == "burst")
{
    int Int(string name, int fallback) =>
        int.Parse(Option(name) ?? fallback.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    var d = new BurstOptions();
    return await BurstBenchmark.RunAsync(root, configuration, new BurstOptions(Int("--icbs", d.Icbs), Int("--providers", d.Providers),
        Int("--months", d.Months), long.Parse(Option("--history-rows") ?? d.HistoryRows.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
        Int("--uploads", d.Uploads), Int("--corrections", d.Corrections), Int("--analysts", d.Analysts), Int("--bi-clients", d.BiClients),
        Int("--window", d.WindowSeconds), Int("--baseline", d.BaselineSeconds), Int("--min-rows", d.MinRows), Int("--max-rows", d.MaxRows)));
}
if (command == "load")
{
    // Ad hoc: load one path of a running service, e.g. load --url http://127.0.0.1:5080 --path /health/live --key ipso_...
    var result = await Load.RunAsync(new Uri(Option("--url") ?? "http://127.0.0.1:5080"), Option("--path") ?? "/health/live", Option("--key"),
        int.Parse(Option("--connections") ?? "32", CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(int.Parse(Option("--seconds") ?? "5", CultureInfo.InvariantCulture)));
    Console.WriteLine($"{result.RequestsPerSecond:N0} requests/s, p50 {result.P50Ms:F1} ms, p99 {result.P99Ms:F1} ms, {result.Failures} failures");
    return 0;
}
if (command == "generate")
{
    // Writes the ingest benchmark's return to a file, to upload or profile by hand: generate --rows N --out PATH
    WriteIngestReturn(Option("--out") ?? "return.csv", int.Parse(Option("--rows") ?? "1000000", CultureInfo.InvariantCulture));
    return 0;
}
if (command != "ingest")
{
    Console.Error.WriteLine("usage: ingest [--rows N[,N...]] [--via api|pages] | generate [--rows N] [--out PATH] | indicators [--referrals N] [--seconds S] [--monthly] | comparisons [--referrals N] | charts [--referrals N] | quality-mark [--referrals N] | worst [--referrals N] [--service-root PATH] | flood [--referrals N] [--service-root PATH] | publications [--referrals N] | sign-in [--times N] | burst [--providers N] [--months N] [--history-rows N] [--uploads N] [--corrections N] [--analysts N] [--bi-clients N] [--window S] [--baseline S] | load --url U --path P [--key K]");
    return 2;
}

var throughPages = Option("--via") == "pages"; // the send page, as a browser posts it, instead of the API
var sizes = (Option("--rows") ?? "100000,1000000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
Console.WriteLine($"Ingest benchmark: {Environment.ProcessorCount} cores, .NET {Environment.Version}, service built {configuration}, " +
    $"uploaded through {(throughPages ? "the send page" : "the API")}");
Console.WriteLine();
Console.WriteLine("| rows | file MB | bare CsvHelper read s | bare prepared insert s | upload s | validate+store s | upload to accepted s | rows/s end to end | service peak RSS MiB |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var rows in sizes)
{
    var file = Path.Combine(Path.GetTempPath(), $"ipsoutcomes-bench-{rows}.csv");
    WriteIngestReturn(file, rows);
    var bytes = new FileInfo(file).Length;
    var bare = BareCsvRead(file);
    var insert = BareInsert(file);

    await using var service = await ServiceProcess.StartAsync(root, configuration, ServiceProcess.FreePort());
    // A service runs for weeks: warm it up (the JIT's optimising pass, connection pools) with two smaller returns of
    // other providers first, so the figures are for the service, not for its first minute.
    var warmUp = Path.Combine(Path.GetTempPath(), "ipsoutcomes-bench-warm-up.csv");
    WriteIngestReturn(warmUp, 200_000, seed: 7);
    foreach (var provider in new[] { "WARM1", "WARM2" })
    {
        using var warmClient = service.Client(await service.ProviderKeyAsync(provider, "QWO"));
        await ServiceProcess.UploadAsync(warmClient, provider, "2025-03", warmUp);
        Console.Error.WriteLine($"  warm-up: {await service.LastTimingAsync()}"); // logged once its upload is deleted and checkpointed
    }
    File.Delete(warmUp);
    Console.Error.WriteLine($"  service after warm-up: RSS {service.MemoryMiB:F0} MiB, peak {service.PeakMemoryMiB:F0} MiB");

    var key = await service.ProviderKeyAsync("BENCH1", "QWO");
    using var client = service.Client(key);
    var (uploaded, total) = throughPages
        ? await service.UploadThroughPageAsync(client, key, "2025-03", file)
        : await ServiceProcess.UploadAsync(client, "BENCH1", "2025-03", file);
    Console.WriteLine($"| {rows:N0} | {bytes / 1048576.0:F1} | {bare.TotalSeconds:F2} | {insert.TotalSeconds:F2} | {uploaded.TotalSeconds:F2} | " +
        $"{(total - uploaded).TotalSeconds:F2} | {total.TotalSeconds:F2} | {rows / total.TotalSeconds:N0} | {service.PeakMemoryMiB:F0} |");
    Console.Error.WriteLine($"  service: {await service.LastTimingAsync()}");
    Console.Error.WriteLine($"  slowest status poll while it was processed: {ServiceProcess.LastSlowestPoll.TotalMilliseconds:F0} ms");
    await Task.Delay(TimeSpan.FromSeconds(10));
    Console.Error.WriteLine($"  service 10 s after the return was accepted: RSS {service.MemoryMiB:F0} MiB");
    File.Delete(file);
}
return 0;

// The ingest benchmark's return (a cumulative caseload as of March 2025); generate writes the same file.
static void WriteIngestReturn(string path, int rows, int seed = 2025) => ReturnGenerator.Write(path, rows, new DateOnly(2025, 3, 31), seed);

static TimeSpan BareCsvRead(string path)
{
    var watch = Stopwatch.StartNew();
    using var reader = new StreamReader(path);
    using var parser = new CsvParser(reader, new CsvConfiguration(CultureInfo.InvariantCulture));
    long fields = 0;
    while (parser.Read()) fields += parser.Count;
    return watch.Elapsed;
}

// The floor for storing: the same rows, parsed and inserted as they are (no validation, no HMAC) with one prepared
// statement in one transaction, into a table with the service's primary key, on a fresh SQLite file.
static TimeSpan BareInsert(string path)
{
    var database = Path.Combine(Path.GetTempPath(), $"ipsoutcomes-bench-{Guid.NewGuid():N}.db");
    var watch = Stopwatch.StartNew();
    using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=False"))
    {
        connection.Open();
        using var setup = connection.CreateCommand();
        setup.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;" +
            "CREATE TABLE referrals (provider_code TEXT NOT NULL, referral_key TEXT NOT NULL, fields TEXT NOT NULL, PRIMARY KEY (provider_code, referral_key));";
        setup.ExecuteNonQuery();
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO referrals VALUES ('BENCH1', @key, @fields)";
        var key = insert.Parameters.Add("@key", Microsoft.Data.Sqlite.SqliteType.Text);
        var fields = insert.Parameters.Add("@fields", Microsoft.Data.Sqlite.SqliteType.Text);
        insert.Prepare();
        using var reader = new StreamReader(path);
        using var parser = new CsvParser(reader, new CsvConfiguration(CultureInfo.InvariantCulture));
        parser.Read();
        while (parser.Read())
        {
            key.Value = parser[0];
            fields.Value = parser.RawRecord;
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
    }
    var elapsed = watch.Elapsed;
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(database) + "*")) File.Delete(file);
    return elapsed;
}

static string FindRepositoryRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        if (File.Exists(Path.Combine(directory.FullName, "IpsOutcomes.sln"))) return directory.FullName;
    throw new InvalidOperationException("Run from inside the repository.");
}
