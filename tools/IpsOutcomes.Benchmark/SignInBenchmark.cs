using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using IpsOutcomes.TestIdentityProvider;

namespace IpsOutcomes.Benchmark;

/// <summary>
/// Signing in through an identity provider (issue 26): the whole round trip against the test provider on loopback, and the
/// service's own part of it (the start and the answer, which includes redeeming the code at the provider); then a page's
/// warm latency in a session made that way beside one made with a key.
/// </summary>
public static class SignInBenchmark
{
    public static async Task<int> RunAsync(string root, string configuration, int times)
    {
        await using var provider = await IdentityProvider.StartAsync();
        var person = new TestPerson("bench-1", "analyst@example.nhs.uk", "Bench Analyst");
        provider.Add(person);
        Console.WriteLine($"Sign-in benchmark: {times} sign-ins through the test provider at {provider.Authority}, {Environment.ProcessorCount} cores, " +
            $"service built {configuration}");
        await using var service = await ServiceProcess.StartAsync(root, configuration, ServiceProcess.FreePort(),
        [
            "--Identity:Providers:0:Name", "test", "--Identity:Providers:0:DisplayName", "the test provider",
            "--Identity:Providers:0:Authority", provider.Authority.ToString(), "--Identity:Providers:0:ClientId", IdentityProvider.ClientId,
            "--Identity:Providers:0:ClientSecret", IdentityProvider.ClientSecret, "--Identity:Providers:0:RequireHttpsMetadata", "false",
            "--Identity:KeySignIn", "true", "--Pages:SignInsPerMinute", "0",
        ]);
        using var admin = service.Client();
        (await admin.PostAsJsonAsync("/api/v1/users", new { email = person.Email, name = person.Name, role = "icb", organisation_code = "QWO" }))
            .EnsureSuccessStatusCode();
        var key = await IndicatorBenchmark.IssueAsync(admin, new { name = "bench icb", role = "icb", organisation_code = "QWO" });

        var roundTrips = new List<double>();
        var serviceTimes = new List<double>();
        HttpClient? oidc = null;
        for (var i = 0; i < times + 3; i++)
        {
            var (client, roundTrip, serviceTime) = await SignInAsync(service.BaseAddress, person);
            if (i >= 3) (roundTrips, serviceTimes) = ([.. roundTrips, roundTrip], [.. serviceTimes, serviceTime]); // after a warm-up
            if (oidc is null) oidc = client;
            else client.Dispose();
        }
        using var byKey = await ServiceProcess.PageSessionAsync(service.BaseAddress, key);
        const string page = "/dashboard";
        var (keyPage, oidcPage) = (new List<double>(), new List<double>());
        for (var i = 0; i < 400; i++) // interleaved, so that both see the same machine
        {
            var (first, second) = i % 2 == 0 ? (byKey, oidc!) : (oidc!, byKey);
            var a = await TimeAsync(first, page);
            var b = await TimeAsync(second, page);
            (i % 2 == 0 ? keyPage : oidcPage).Add(a);
            (i % 2 == 0 ? oidcPage : keyPage).Add(b);
        }
        oidc!.Dispose();

        Console.WriteLine("| | p50 ms | p95 ms | max ms |");
        Console.WriteLine("|---|---:|---:|---:|");
        Row("sign-in round trip (service + provider + redirects)", roundTrips);
        Row("the service's part (start + answer, incl. code redemption)", serviceTimes);
        Row($"{page} warm, key session", keyPage[20..]);
        Row($"{page} warm, OpenID Connect session", oidcPage[20..]);
        Console.WriteLine();
        Console.WriteLine($"sign-in: service p50 {P(serviceTimes, 0.5):F0} ms (target < 300), page p50 key {P(keyPage[20..], 0.5):F1} ms " +
            $"vs oidc {P(oidcPage[20..], 0.5):F1} ms");
        return 0;
    }

    /// <summary>One sign-in, a redirect at a time as a browser follows them: the signed-in client, and the times.</summary>
    private static async Task<(HttpClient Client, double RoundTrip, double ServiceTime)> SignInAsync(Uri service, TestPerson person)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            BaseAddress = service,
        };
        using var toProvider = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var whole = Stopwatch.StartNew();
        var start = await client.GetAsync("/sign-in/with/test?returnUrl=/dashboard");
        var started = whole.Elapsed.TotalMilliseconds;
        var chosen = await toProvider.GetAsync($"{start.Headers.Location}&person={person.Subject}");
        var answering = whole.Elapsed.TotalMilliseconds;
        var answer = await client.GetAsync(chosen.Headers.Location);
        var answered = whole.Elapsed.TotalMilliseconds - answering;
        if (answer.Headers.Location?.ToString() != "/dashboard") throw new InvalidOperationException($"Sign-in went to {answer.Headers.Location}");
        (await client.GetAsync("/dashboard")).EnsureSuccessStatusCode();
        return (client, whole.Elapsed.TotalMilliseconds, started + answered);
    }

    private static async Task<double> TimeAsync(HttpClient client, string path)
    {
        var watch = Stopwatch.StartNew();
        using var response = await client.GetAsync(path);
        await response.Content.ReadAsByteArrayAsync();
        response.EnsureSuccessStatusCode();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static void Row(string what, List<double> values) =>
        Console.WriteLine($"| {what} | {P(values, 0.5):F1} | {P(values, 0.95):F1} | {values.Max():F1} |");

    private static double P(List<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * q))];
    }
}
