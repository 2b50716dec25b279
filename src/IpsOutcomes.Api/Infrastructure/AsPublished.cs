using System.IO.Compression;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Caching.Memory;

namespace IpsOutcomes.Infrastructure;

/// <summary>A publication as a request asks for it: the state of the data at <see cref="CutOff"/>, data version <see cref="DataVersion"/>.</summary>
public sealed record Publication(long Id, string Name, string Kind, string Month, DateTimeOffset CutOff, long DataVersion);

/// <summary>Marks a route (or page) whose figures may be asked for as published (<c>publication=</c> or <c>as_at=</c>).</summary>
public sealed class PublishableFigures
{
    public static readonly PublishableFigures Mark = new();
}

public static class PublishableFiguresRoutes
{
    /// <summary>Marks a route's figures as askable as published, and says so in the OpenAPI document.</summary>
    public static TBuilder AsPublishable<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(PublishableFigures.Mark).AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(Parameter("publication",
                "The figures as published in this publication (GET /api/v1/publications lists them), byte for byte whenever asked; "
                + "the answer names it in X-Publication. Default: current figures."));
            operation.Parameters.Add(Parameter("as_at",
                "The figures as published in the latest publication cut by this moment (yyyy-MM-dd for the end of that day, UTC, or an "
                + "ISO 8601 date and time). Not with publication=."));
            return Task.CompletedTask;
        });

    private static Microsoft.OpenApi.OpenApiParameter Parameter(string name, string description) => new()
    {
        Name = name,
        In = Microsoft.OpenApi.ParameterLocation.Query,
        Description = description,
        Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String },
    };
}

/// <summary>
/// The publication the current request asks its figures as, or none for current figures. A request for figures as published is
/// answered by the same code as current figures: each owner's reads that figures draw on (organisations, referrals, targets,
/// populations, submissions, reviews) answer from what the publication froze, and the clock stands at its cut-off. Set once per
/// request, before its handler runs, from <c>publication=</c> or <c>as_at=</c> on a route marked <see cref="PublishableFigures"/>.
/// </summary>
public sealed class AsPublished(IHttpContextAccessor accessor)
{
    private static readonly AsyncLocal<Choice?> Chosen = new();

    private sealed record Choice(Publication? Publication);

    public Publication? Current => Chosen.Value is { } held ? held.Publication : accessor.HttpContext?.Features.Get<Publication>();

    /// <summary>
    /// Works out figures as of <paramref name="publication"/> (null: current figures) until disposed, whatever the request asked:
    /// for what sets two states side by side (revisions) or works outside a request (a cut materialising its figures).
    /// </summary>
    public IDisposable Use(Publication? publication)
    {
        var before = Chosen.Value;
        Chosen.Value = new Choice(publication);
        return new Restore(before);
    }

    private sealed class Restore(Choice? before) : IDisposable
    {
        public void Dispose() => Chosen.Value = before;
    }

    /// <summary>What cache keys add, so that current and published answers never share an entry: "" or "p{id}".</summary>
    public string Key => Current is { } publication ? $"p{publication.Id}" : "";

    /// <summary>Now, for figures: the cut-off of the publication asked for, else the clock.</summary>
    public DateTimeOffset Now(TimeProvider clock) => Current?.CutOff ?? clock.GetUtcNow();

    public DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(Now(clock).UtcDateTime);
}

/// <summary>
/// A part of the data that a publication freezes at its cut-off, kept by the room that owns it: what figures draw on, as that room
/// reads it for current figures. A cut asks every part for its current state (in no request, so current) and keeps it.
/// </summary>
public interface IFrozenPart
{
    string Part { get; }

    Task<object> CurrentAsync(CancellationToken ct);
}

/// <summary>
/// Frozen parts as stored: JSON, Brotli-compressed, one row per publication and part (<c>publication_parts</c>); read back once per
/// publication and kept in memory.
/// </summary>
public sealed class FrozenParts(Database database, IMemoryCache cache)
{
    internal static readonly Sql Insert = Sql.Portable(
        "INSERT INTO publication_parts (publication_id, part, content) VALUES (@publication, @part, @content)");
    internal static readonly Sql Select = Sql.Portable(
        "SELECT content FROM publication_parts WHERE publication_id = @publication AND part = @part");
    internal static readonly Sql Count = Sql.Portable(
        "SELECT COUNT(*) FROM publication_parts WHERE publication_id = @publication AND part = @part");

    public async Task<bool> HasAsync(long publication, string part, CancellationToken ct) =>
        await database.QuerySingleOrDefaultAsync<long>(Count, new { publication, part }, ct) > 0;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static byte[] Encode(object value)
    {
        using var buffer = new MemoryStream();
        using (var brotli = new BrotliStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
            JsonSerializer.Serialize(brotli, value, value.GetType(), Json);
        return buffer.ToArray();
    }

    public Task WriteAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, long publication,
        string part, byte[] content) =>
        connection.ExecuteAsync(database[Insert], new { publication, part, content }, transaction);

    public async Task<T> ReadAsync<T>(Publication publication, string part, CancellationToken ct) where T : class =>
        await FindAsync<T>(publication, part, ct) ?? throw new InvalidOperationException($"Publication {publication.Name} has no part {part}.");

    /// <summary>A part, or null where the publication has none (yet).</summary>
    public async Task<T?> FindAsync<T>(Publication publication, string part, CancellationToken ct) where T : class
    {
        if (cache.TryGetValue(("frozen-part", publication.Id, part), out T? kept)) return kept;
        var content = await database.QuerySingleOrDefaultAsync<byte[]>(Select, new { publication = publication.Id, part }, ct);
        if (content is null) return null;
        await using var brotli = new BrotliStream(new MemoryStream(content), CompressionMode.Decompress);
        var value = await JsonSerializer.DeserializeAsync<T>(brotli, Json, ct);
        // Roughly what it grows to in memory.
        cache.Set(("frozen-part", publication.Id, part), value,
            new MemoryCacheEntryOptions { Size = content.Length * 8L + 64, SlidingExpiration = TimeSpan.FromHours(1) });
        return value;
    }
}

/// <summary>
/// The clock figures are worked out by: for figures as published it stands at the publication's cut-off (so that "the month just
/// ended", "late" and "not due yet" are what they were then), otherwise it is the service's clock.
/// </summary>
public sealed class FiguresClock(TimeProvider clock, AsPublished published) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => published.Now(clock);
}
