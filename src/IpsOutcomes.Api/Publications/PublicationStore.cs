using System.Data.Common;
using Dapper;
using IpsOutcomes.Infrastructure;
using Microsoft.Extensions.Caching.Memory;

namespace IpsOutcomes.Publications;

/// <summary>A publication as listed: planned, and once frozen its cut-off and data version.</summary>
public sealed record PublicationRow
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Month { get; init; } = "";
    public DateTimeOffset PlannedAt { get; init; }
    public DateTimeOffset? CutOff { get; init; }
    public long? DataVersion { get; init; }
    public DateTimeOffset? RowsPurgedAt { get; init; }

    public Publication? AsPublished => CutOff is { } cutOff && DataVersion is { } version
        ? new Publication(Id, Name, Kind, Month, cutOff, version)
        : null;
}

/// <summary>One entry of an ICB's sign-off of a publication: signed off, or withdrawn, with its comment.</summary>
public sealed record SignOffEntry
{
    public string IcbCode { get; init; } = "";
    public bool SignedOff { get; init; }
    public string Comment { get; init; } = "";
    public DateTimeOffset At { get; init; }
    public string? ByName { get; init; }
}

/// <summary>The publications and their sign-offs: the only code that names their tables.</summary>
public sealed class PublicationStore(Database database, IMemoryCache cache)
{
    private const string Columns = """
        id AS Id, name AS Name, kind AS Kind, month AS Month, planned_at AS PlannedAt, cut_off AS CutOff, data_version AS DataVersion,
        rows_purged_at AS RowsPurgedAt
        """;

    internal static readonly Sql SelectAll = Sql.Portable($"SELECT {Columns} FROM publications ORDER BY month DESC, id DESC");
    internal static readonly Sql SelectByName = Sql.Portable($"SELECT {Columns} FROM publications WHERE name = @name");
    internal static readonly Sql SelectById = Sql.Portable($"SELECT {Columns} FROM publications WHERE id = @id");
    internal static readonly Sql SelectCutBy = Sql.Page($"""
        SELECT {Columns} FROM publications WHERE cut_off IS NOT NULL AND cut_off <= @asAt ORDER BY cut_off DESC, id DESC
        """, take: "1", skip: "0");
    internal static readonly Sql SelectUncut = Sql.Portable($"SELECT {Columns} FROM publications WHERE cut_off IS NULL ORDER BY id");
    internal static readonly Sql InsertPlanned = Sql.InsertReturningId("""
        INSERT INTO publications (name, kind, month, planned_at, planned_by) VALUES (@name, @kind, @month, @now, @by);
        """);
    internal static readonly Sql SelectCutSince = Sql.Portable($"""
        SELECT {Columns} FROM publications WHERE cut_off IS NOT NULL AND rows_purged_at IS NULL AND cut_off >= @since
        """);
    internal static readonly Sql SelectExpired = Sql.Portable($"""
        SELECT {Columns} FROM publications WHERE cut_off IS NOT NULL AND rows_purged_at IS NULL AND cut_off < @since
        """);
    internal static readonly Sql MarkPurged = Sql.Portable("UPDATE publications SET rows_purged_at = @now WHERE id = @id");
    internal static readonly Sql MarkCut = Sql.Portable(
        "UPDATE publications SET cut_off = @cutOff, data_version = @version WHERE id = @id AND cut_off IS NULL");

    private const string SignOffColumns = """
        s.icb_code AS IcbCode, s.signed_off AS SignedOff, s.comment AS Comment, s.at AS At, s.by_name AS ByName
        """;

    // Each ICB's latest entry is its state.
    internal static readonly Sql SelectSignOffStates = Sql.Portable($"""
        SELECT {SignOffColumns} FROM publication_sign_offs s
        WHERE s.publication_id = @publication
          AND s.id = (SELECT MAX(t.id) FROM publication_sign_offs t WHERE t.publication_id = s.publication_id AND t.icb_code = s.icb_code)
        ORDER BY s.icb_code
        """);
    internal static readonly Sql SelectSignOffHistory = Sql.Portable($"""
        SELECT {SignOffColumns} FROM publication_sign_offs s WHERE s.publication_id = @publication AND s.icb_code = @icb ORDER BY s.id
        """);
    internal static readonly Sql InsertSignOff = Sql.Portable("""
        INSERT INTO publication_sign_offs (publication_id, icb_code, signed_off, comment, at, by_key_id, by_name)
        VALUES (@publication, @icb, @signedOff, @comment, @at, @byKey, @byName)
        """);

    /// <summary>Each ICB's sign-off state of a publication (its latest entry); an ICB with none has not signed off.</summary>
    public Task<IReadOnlyList<SignOffEntry>> SignOffsAsync(long publication, CancellationToken ct) =>
        database.QueryAsync<SignOffEntry>(SelectSignOffStates, new { publication }, ct);

    /// <summary>Every entry of one ICB's sign-off of a publication, oldest first.</summary>
    public Task<IReadOnlyList<SignOffEntry>> SignOffHistoryAsync(long publication, string icb, CancellationToken ct) =>
        database.QueryAsync<SignOffEntry>(SelectSignOffHistory, new { publication, icb }, ct);

    public Task AddSignOffAsync(DbConnection connection, DbTransaction transaction, long publication, SignOffEntry entry, long? byKey) =>
        connection.ExecuteAsync(database[InsertSignOff], new
        {
            publication,
            icb = entry.IcbCode,
            signedOff = entry.SignedOff,
            comment = entry.Comment,
            at = entry.At,
            byKey,
            byName = entry.ByName,
        }, transaction);

    public Task<IReadOnlyList<PublicationRow>> ListAsync(CancellationToken ct) => database.QueryAsync<PublicationRow>(SelectAll, null, ct);

    public Task<IReadOnlyList<PublicationRow>> UncutAsync(CancellationToken ct) =>
        database.QueryAsync<PublicationRow>(SelectUncut, null, ct);

    public Task<PublicationRow?> FindAsync(long id, CancellationToken ct) =>
        database.QuerySingleOrDefaultAsync<PublicationRow>(SelectById, new { id }, ct);

    /// <summary>A publication by name; one that has been cut is kept in memory for good, as it never changes.</summary>
    public async Task<PublicationRow?> FindAsync(string name, CancellationToken ct)
    {
        if (cache.TryGetValue(("publication", name), out PublicationRow? kept)) return kept;
        var row = await database.QuerySingleOrDefaultAsync<PublicationRow>(SelectByName, new { name }, ct);
        if (row?.CutOff is not null) cache.Set(("publication", name), row, new MemoryCacheEntryOptions { Size = 256 });
        return row;
    }

    /// <summary>What a publication's revisions are listed against by default: a final one's month's provisional publication;
    /// null (current figures) for any other, or a final one whose month has none.</summary>
    public async Task<Publication?> RevisedFromAsync(Publication publication, CancellationToken ct) =>
        publication.Kind == PublicationKinds.Final
            ? (await FindAsync(PublicationKinds.NameOf(PublishedTable.MonthOf(publication), PublicationKinds.Provisional), ct))?.AsPublished
            : null;

    /// <summary>The latest publication cut at or before a moment: the figures as they were published then.</summary>
    public Task<PublicationRow?> CutByAsync(DateTimeOffset asAt, CancellationToken ct) =>
        database.QuerySingleOrDefaultAsync<PublicationRow>(SelectCutBy, new { asAt }, ct);

    /// <summary>Publications whose row-level state is kept, cut since a moment (<paramref name="expired"/>: before it).</summary>
    public Task<IReadOnlyList<PublicationRow>> KeptAsync(DateTimeOffset since, bool expired, CancellationToken ct) =>
        database.QueryAsync<PublicationRow>(expired ? SelectExpired : SelectCutSince, new { since }, ct);

    public async Task MarkPurgedAsync(DbConnection connection, DbTransaction transaction, PublicationRow row, DateTimeOffset now)
    {
        await connection.ExecuteAsync(database[MarkPurged], new { id = row.Id, now }, transaction);
        cache.Remove(("publication", row.Name));
    }

    public Task<long> PlanAsync(DbConnection connection, DbTransaction transaction, string name, string kind, string month,
        DateTimeOffset now, long? by) =>
        connection.ExecuteScalarAsync<long>(database[InsertPlanned], new { name, kind, month, now, by }, transaction);

    public async Task<bool> MarkCutAsync(DbConnection connection, DbTransaction transaction, long id, DateTimeOffset cutOff,
        long version) =>
        await connection.ExecuteAsync(database[MarkCut], new { id, cutOff, version }, transaction) == 1;
}
