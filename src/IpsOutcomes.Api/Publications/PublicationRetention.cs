using IpsOutcomes.Audit;
using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Publications;

/// <summary>
/// Retention of a publication's row-level state: its providers' frozen referrals are kept for <c>Publications:RowDataRetentionDays</c>
/// after its cut (default 1,096 days: three years, long enough for a month's final figures, the year's reports and a year's
/// questions about them), then deleted unless a later publication still holds the same state. From then on its answers as
/// published are 410 Gone; its figures, kept at the cut, remain as open data, and its revisions can still be listed.
/// </summary>
public sealed class PublicationRetention(Database database, PublicationStore store, FrozenReferrals referrals, AuditLog audit,
    IConfiguration configuration, TimeProvider clock, ILogger<PublicationRetention> logger)
{
    public int Days => configuration.GetValue("Publications:RowDataRetentionDays", 1096);

    /// <returns>How many frozen referral states were deleted.</returns>
    public async Task<int> PurgeAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var since = now.AddDays(-Days);
        var expired = await store.KeptAsync(since, expired: true, ct);
        if (expired.Count == 0) return 0;
        var held = (await store.KeptAsync(since, expired: false, ct)).Select(p => p.AsPublished).OfType<Publication>().ToList();
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var deleted = await referrals.DeleteAllButAsync(connection, transaction, held, ct);
        foreach (var row in expired) await store.MarkPurgedAsync(connection, transaction, row, now);
        await audit.WriteAsync(connection, transaction, null, "publication.rows_purged", null,
            $"{string.Join(", ", expired.Select(p => p.Name))}: {deleted} referral states deleted", null);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Retention deleted the row-level state of {Publications} publications ({States} referral states)",
            expired.Count, deleted);
        return deleted;
    }
}
