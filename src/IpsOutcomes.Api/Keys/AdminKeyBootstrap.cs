using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Keys;

/// <summary>The first start of an empty database issues one admin key and prints it, once.</summary>
public sealed class AdminKeyBootstrap(DatabaseMigrator migrator, ApiKeyStore keys, OperatorConsole console) : StartupTask
{
    public override async Task StartingAsync(CancellationToken cancellationToken)
    {
        await migrator.MigrateAsync(cancellationToken);
        if (await keys.CountAsync(cancellationToken) > 0) return;
        var issued = await keys.IssueAsync(new KeyRequest("bootstrap admin", Role.Admin, null, false), null, null, cancellationToken);
        console.WriteLine($"""

            ==============================================================================
             First start: an admin key was created. It is shown this once; keep it safe.
               {issued.Secret}
             Use it as:  Authorization: ApiKey <key>
            ==============================================================================

            """);
    }
}
