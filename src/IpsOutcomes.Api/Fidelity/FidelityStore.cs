using System.Data.Common;
using System.Globalization;
using Dapper;
using IpsOutcomes.Audit;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Webhooks;
using Microsoft.Extensions.Caching.Memory;

namespace IpsOutcomes.Fidelity;

/// <summary>A recorded review: its items in the scale's order, its total and band.</summary>
public sealed record FidelityReview(long Id, string ProviderCode, DateOnly ReviewDate, string Kind, string? Reviewer, string? Notes,
    int Total, FidelityBand Band, IReadOnlyDictionary<string, int> Scores, DateTimeOffset RecordedAt);

/// <summary>
/// Fidelity reviews as stored: recorded (or replaced, audited), read back per provider. Recording one is a change of
/// data like an accepted return (the data version moves), so every answer that draws on reviews is fresh after it.
/// </summary>
public sealed class FidelityStore(Database database, AuditLog audit, WebhookOutbox outbox, TimeProvider clock, IMemoryCache cache,
    DataVersion version, AsPublished published, FrozenParts frozen) : IFrozenPart
{
    public string Part => "fidelity_reviews";

    public async Task<object> CurrentAsync(CancellationToken ct) => await ReadAsync(ct);

    internal static readonly Sql SelectExisting = Sql.Portable(
        "SELECT id FROM fidelity_reviews WHERE provider_code = @ProviderCode AND review_date = @ReviewDate AND kind = @Kind");
    internal static readonly Sql InsertReview = Sql.InsertReturningId("""
        INSERT INTO fidelity_reviews (provider_code, review_date, kind, reviewer, notes, total, recorded_at, recorded_by)
        VALUES (@ProviderCode, @ReviewDate, @Kind, @Reviewer, @Notes, @Total, @now, @by);
        """);
    internal static readonly Sql UpdateReview = Sql.Portable(
        "UPDATE fidelity_reviews SET reviewer = @Reviewer, notes = @Notes, total = @Total, recorded_at = @now, recorded_by = @by WHERE id = @id");
    internal static readonly Sql DeleteItems = Sql.Portable("DELETE FROM fidelity_review_items WHERE review_id = @id");
    internal static readonly Sql InsertItem = Sql.Portable("INSERT INTO fidelity_review_items (review_id, item, score) VALUES (@id, @item, @score)");
    internal static readonly Sql SelectReviews = Sql.Portable("""
        SELECT r.id AS Id, r.provider_code AS ProviderCode, r.review_date AS ReviewDate, r.kind AS Kind, r.reviewer AS Reviewer, r.notes AS Notes,
               r.total AS Total, r.recorded_at AS RecordedAt, i.item AS Item, i.score AS Score
        FROM fidelity_reviews r JOIN fidelity_review_items i ON i.review_id = r.id
        WHERE (@provider IS NULL OR r.provider_code = @provider)
        ORDER BY r.provider_code, r.review_date, r.kind
        """);

    private sealed class Row
    {
        public long Id { get; init; }
        public string ProviderCode { get; init; } = "";
        public DateOnly ReviewDate { get; init; }
        public string Kind { get; init; } = "";
        public string? Reviewer { get; init; }
        public string? Notes { get; init; }
        public int Total { get; init; }
        public DateTimeOffset RecordedAt { get; init; }
        public string Item { get; init; } = "";
        public int Score { get; init; }
    }

    /// <summary>
    /// Records reviews in one transaction: new ones inserted, the same provider, date and kind replaced (and audited
    /// with the total it replaced), each announced to its ICB's webhooks. Returns how many were new and replaced.
    /// </summary>
    public async Task<(int Recorded, int Replaced)> RecordAsync(IReadOnlyList<ReviewDraft> reviews, Caller caller, string? address,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var (recorded, replaced) = (0, 0);
        var deliveries = new List<long>();
        await using (var connection = await database.OpenAsync(ct))
        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            foreach (var review in reviews)
            {
                var parameters = new
                {
                    review.ProviderCode,
                    review.ReviewDate,
                    review.Kind,
                    review.Reviewer,
                    review.Notes,
                    review.Total,
                    now,
                    by = caller.KeyId
                };
                var id = await connection.QuerySingleOrDefaultAsync<long?>(database[SelectExisting], parameters, transaction);
                var existed = id is not null;
                var target = $"provider/{review.ProviderCode}/fidelity-review/{review.ReviewDate:yyyy-MM-dd}/{review.Kind}";
                if (id is { } existing)
                {
                    await connection.ExecuteAsync(database[UpdateReview],
                        new { review.Reviewer, review.Notes, review.Total, now, by = caller.KeyId, id = existing }, transaction);
                    await connection.ExecuteAsync(database[DeleteItems], new { id = existing }, transaction);
                    await audit.WriteAsync(connection, transaction, caller, "fidelity.review_replaced", target, $"total {review.Total}", address);
                    replaced++;
                }
                else
                {
                    id = await connection.ExecuteScalarAsync<long>(database[InsertReview], parameters, transaction);
                    await audit.WriteAsync(connection, transaction, caller, "fidelity.review_recorded", target, $"total {review.Total}", address);
                    recorded++;
                }
                foreach (var (item, score) in review.Scores)
                    await connection.ExecuteAsync(database[InsertItem], new { id, item, score }, transaction);
                deliveries.AddRange(await outbox.AddAsync(connection, transaction, review.IcbCode, "fidelity.review_recorded", new Dictionary<string, object?>
                {
                    ["provider_code"] = review.ProviderCode,
                    ["review_date"] = review.ReviewDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ["kind"] = review.Kind,
                    ["total"] = review.Total,
                    ["band"] = Infrastructure.CsvOutput.SnakeCase(review.Band),
                    ["replaced"] = existed,
                }));
            }
            using (await version.BumpAsync(connection, transaction)) await transaction.CommitAsync(ct);
        }
        outbox.Dispatch(deliveries);
        return (recorded, replaced);
    }

    /// <summary>Every review of one provider (or of all, with null), oldest first; all of them read once per data version.</summary>
    public async Task<IReadOnlyList<FidelityReview>> ReviewsAsync(string? provider, CancellationToken ct)
    {
        var all = published.Current is { } publication
            ? await frozen.ReadAsync<List<FidelityReview>>(publication, Part, ct)
            : await cache.GetOrCreateAsync(("fidelity-reviews", await version.CurrentAsync(ct)), async entry =>
        {
            var reviews = await ReadAsync(ct);
            entry.Size = 1024L * reviews.Count + 64;
            entry.SlidingExpiration = TimeSpan.FromMinutes(30);
            return reviews;
        });
        return provider is null ? all! : all!.Where(r => string.Equals(r.ProviderCode, provider, StringComparison.OrdinalIgnoreCase))
            .ToList();
    }

    private async Task<IReadOnlyList<FidelityReview>> ReadAsync(CancellationToken ct) =>
        (await database.QueryAsync<Row>(SelectReviews, new { provider = (string?)null }, ct))
            .GroupBy(r => r.Id)
            .Select(g =>
            {
                var first = g.First();
                var scores = FidelityScale.Items.Where(i => g.Any(r => r.Item == i.Code))
                    .ToDictionary(i => i.Code, i => g.First(r => r.Item == i.Code).Score);
                return new FidelityReview(first.Id, first.ProviderCode, first.ReviewDate, first.Kind, first.Reviewer, first.Notes,
                    first.Total, FidelityScale.BandOf(first.Total), scores, first.RecordedAt);
            })
            .OrderBy(r => r.ProviderCode, StringComparer.Ordinal).ThenBy(r => r.ReviewDate).ToList();
}
