using Dapper;
using IpsOutcomes.Audit;
using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Publications;

/// <summary>
/// Freezes a planned publication: every part of the data that figures draw on, as it stood at one data version, kept by
/// its owner (<see cref="IFrozenPart"/>), and each provider's referrals in the state the snapshot held at that version. Reentrant:
/// a publication already cut is left as it is.
/// </summary>
public sealed class PublicationCut(Database database, PublicationStore store, ReferralSnapshot snapshot, FrozenReferrals referrals,
    IEnumerable<IFrozenPart> parts, FrozenParts frozen, PublishedTable table, AuditLog audit, TimeProvider clock,
    ILogger<PublicationCut> logger)
{
    /// <summary>How often the parts are read again when the data changed while they were read.</summary>
    private const int Attempts = 20;

    /// <summary>Freezes the publication's state, then works out its figures from it and keeps them (its open data, which
    /// revisions compare), each step once.</summary>
    public async Task CutAsync(long publicationId, CancellationToken ct)
    {
        if (await store.FindAsync(publicationId, ct) is not { } planned) return;
        if (planned.CutOff is null) await FreezeAsync(planned, ct);
        if ((await store.FindAsync(publicationId, ct))?.AsPublished is { } publication
            && !await frozen.HasAsync(publication.Id, PublishedTable.Part, ct))
            await table.MaterialiseAsync(database, publication, ct);
    }

    private async Task FreezeAsync(PublicationRow planned, CancellationToken ct)
    {
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            // The parts are read one by one, each as its owner reads it; they are one state of the data when the version
            // is the same before and after (every change moves it, in the change's own transaction).
            var version = await database.QuerySingleOrDefaultAsync<long>(DataVersion.Select, null, ct);
            var state = await snapshot.GetAsync(ct);
            var cutOff = clock.GetUtcNow();
            if (state.Version == version)
            {
                var encoded = new List<(string Part, byte[] Content)>();
                foreach (var part in parts) encoded.Add((part.Part, FrozenParts.Encode(await part.CurrentAsync(ct))));
                encoded.Add((FrozenReferrals.Part, FrozenParts.Encode(FrozenReferrals.Fingerprints(state))));
                var added = await referrals.NewAsync(state, ct);
                if (await database.QuerySingleOrDefaultAsync<long>(DataVersion.Select, null, ct) == version)
                {
                    await KeepAsync(planned, encoded, added, cutOff, version, ct);
                    logger.LogInformation("Publication {Name} cut at data version {Version}: {Parts} parts, {Providers} providers' referrals added",
                        planned.Name, version, encoded.Count, added.Count);
                    return;
                }
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), ct);
        }
        throw new InvalidOperationException($"The data kept changing while publication {planned.Name} was being cut; it will be tried again.");
    }

    private async Task KeepAsync(PublicationRow planned, List<(string Part, byte[] Content)> encoded,
        IReadOnlyList<(ProviderReferrals Referrals, byte[] Content)> added, DateTimeOffset cutOff, long version, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (!await store.MarkCutAsync(connection, transaction, planned.Id, cutOff, version)) return; // cut meanwhile
        foreach (var (part, content) in encoded) await frozen.WriteAsync(connection, transaction, planned.Id, part, content);
        await referrals.WriteAsync(connection, transaction, added, cutOff);
        await audit.WriteAsync(connection, transaction, null, "publication.cut", $"publication/{planned.Name}",
            $"data version {version}, {encoded.Sum(e => e.Content.Length) + added.Sum(a => a.Content.Length)} bytes kept", null);
        await transaction.CommitAsync(ct);
    }
}
