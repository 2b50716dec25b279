namespace IpsOutcomes.TestIdentityProvider;

/// <summary>
/// <c>dotnet run --project tools/IpsOutcomes.TestIdentityProvider</c>: the test provider on http://127.0.0.1:5098, with
/// one person to sign in as, so that the service's OpenID Connect sign-in can be tried without Entra ID (README).
/// </summary>
public static class Start
{
    public static async Task Main(string[] args)
    {
        var url = args.FirstOrDefault() ?? "http://127.0.0.1:5098";
        await using var provider = await IdentityProvider.StartAsync(url,
            [new TestPerson("admin-1", "admin@example.nhs.uk", "Alex Admin"), new TestPerson("wy-1", "analyst@example.nhs.uk", "Priya Shah")]);
        Console.WriteLine($"Test identity provider at {provider.Authority} (client id {IdentityProvider.ClientId}, secret {IdentityProvider.ClientSecret}).");
        Console.WriteLine("Press Ctrl+C to stop.");
        var stopped = new TaskCompletionSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stopped.TrySetResult(); };
        await stopped.Task;
    }
}
