using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Keys;

/// <summary>
/// <c>keys create --role icb --org QWE --name "..." [--unsuppressed]</c>: issues a key from the command line,
/// against the same database the service uses, and prints the secret once.
/// </summary>
public static class KeysCommand
{
    public static bool IsInvocation(string[] args) => args.Length > 0 && args[0] == "keys";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        var console = services.GetRequiredService<OperatorConsole>();
        if (args is not ["keys", "create", .. var options])
        {
            console.WriteLine("usage: keys create --role provider|icb|national|admin [--org CODE] --name NAME [--unsuppressed] [--sign-off]");
            return 2;
        }
        string? Option(string name)
        {
            var index = Array.IndexOf(options, name);
            return index >= 0 && index + 1 < options.Length ? options[index + 1] : null;
        }
        if (!Enum.TryParse<Role>(Option("--role"), ignoreCase: true, out var role) || int.TryParse(Option("--role"), out _))
        {
            console.WriteLine("--role must be provider, icb, national or admin.");
            return 2;
        }
        var request = new KeyRequest(Option("--name") ?? "", role, Option("--org"), options.Contains("--unsuppressed"),
            options.Contains("--sign-off"));

        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        var store = services.GetRequiredService<ApiKeyStore>();
        var errors = await store.ValidateAsync(request);
        if (errors.Count > 0)
        {
            foreach (var (field, messages) in errors) console.WriteLine($"{field}: {string.Join(" ", messages)}");
            return 1;
        }
        var issued = await store.IssueAsync(request, null, "command line");
        console.WriteLine($"Key {issued.Key.Id} ({issued.Key.Role.ToString().ToLowerInvariant()}{(issued.Key.OrganisationCode is { } org ? " " + org : "")}) issued. It is shown this once:");
        console.WriteLine(issued.Secret);
        return 0;
    }
}
