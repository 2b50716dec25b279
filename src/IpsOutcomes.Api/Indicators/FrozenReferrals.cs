using System.IO.Compression;
using Dapper;
using IpsOutcomes.Infrastructure;
using Microsoft.Extensions.Caching.Memory;

namespace IpsOutcomes.Indicators;

/// <summary>
/// Each provider's referrals as a publication froze them: the snapshot's columns, compressed, kept once per state of a provider's
/// referrals (provider and fingerprint) and shared by every publication that holds that state. A publication's part says which
/// state of each provider it holds. No referral keys, client keys or NHS numbers: days, codes and clients numbered within the
/// provider, which is all the indicators are worked out from.
/// </summary>
public sealed class FrozenReferrals(Database database, ReferralSnapshot snapshot, FrozenParts parts, IMemoryCache cache)
{
    public const string Part = "referrals";

    internal static readonly Sql SelectFrozen = Sql.Portable(
        "SELECT provider_code AS ProviderCode, fingerprint AS Fingerprint FROM frozen_referrals");
    // Two cuts at once may both find a state new: the first keeps it.
    internal static readonly Sql Insert = Sql.Portable("""
        INSERT INTO frozen_referrals (provider_code, fingerprint, referrals, content, frozen_at)
        SELECT @provider, @fingerprint, @referrals, @content, @now
        WHERE NOT EXISTS (SELECT 1 FROM frozen_referrals WHERE provider_code = @provider AND fingerprint = @fingerprint)
        """);
    internal static readonly Sql Delete = Sql.Portable(
        "DELETE FROM frozen_referrals WHERE provider_code = @ProviderCode AND fingerprint = @Fingerprint");
    internal static readonly Sql SelectContent = Sql.Portable(
        "SELECT content FROM frozen_referrals WHERE provider_code = @provider AND fingerprint = @fingerprint");

    private sealed class Kept
    {
        public string ProviderCode { get; init; } = "";
        public long Fingerprint { get; init; }
    }

    /// <summary>What a state of the snapshot adds to the frozen store: each provider's referrals not kept already, encoded.</summary>
    public async Task<IReadOnlyList<(ProviderReferrals Referrals, byte[] Content)>> NewAsync(ReferralSnapshot.State state,
        CancellationToken ct)
    {
        var kept = (await database.QueryAsync<Kept>(SelectFrozen, null, ct)).Select(k => (k.ProviderCode, k.Fingerprint)).ToHashSet();
        return state.Providers.Values.Where(p => !kept.Contains((p.ProviderCode, p.Fingerprint))).OrderBy(p => p.ProviderCode)
            .Select(p => (p, Encode(p))).ToList();
    }

    /// <summary>Keeps what <see cref="NewAsync"/> found, in the cut's transaction; the part says which state of each provider it holds.
    /// </summary>
    public async Task WriteAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction,
        IReadOnlyList<(ProviderReferrals Referrals, byte[] Content)> added, DateTimeOffset now)
    {
        foreach (var (referrals, content) in added)
            await connection.ExecuteAsync(database[Insert], new
            {
                provider = referrals.ProviderCode,
                fingerprint = referrals.Fingerprint,
                referrals = referrals.Count,
                content,
                now,
            }, transaction);
    }

    /// <summary>Deletes every state no publication in <paramref name="held"/> holds (row-level data past its retention), in the
    /// caller's transaction; returns how many.</summary>
    public async Task<int> DeleteAllButAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction,
        IEnumerable<Publication> held, CancellationToken ct)
    {
        var keep = new HashSet<(string, long)>();
        foreach (var publication in held)
            keep.UnionWith((await parts.ReadAsync<Dictionary<string, long>>(publication, Part, ct)).Select(p => (p.Key, p.Value)));
        var gone = (await connection.QueryAsync<Kept>(database[SelectFrozen], transaction: transaction))
            .Where(k => !keep.Contains((k.ProviderCode, k.Fingerprint))).ToList();
        foreach (var state in gone) await connection.ExecuteAsync(database[Delete], state, transaction);
        return gone.Count;
    }

    /// <summary>The fingerprint of each provider's referrals in a state: the part a publication keeps.</summary>
    public static SortedDictionary<string, long> Fingerprints(ReferralSnapshot.State state) =>
        new(state.Providers.ToDictionary(p => p.Key, p => p.Value.Fingerprint), StringComparer.Ordinal);

    /// <summary>
    /// The referrals a publication froze, as a snapshot state at its data version: a provider whose referrals the live snapshot
    /// holds in the same state is shared with it, the rest read from the frozen store.
    /// </summary>
    public async Task<ReferralSnapshot.State> StateAsync(Publication publication, CancellationToken ct) =>
        (await cache.GetOrCreateAsync(("frozen-referrals", publication.Id), async entry =>
        {
            var fingerprints = await parts.ReadAsync<Dictionary<string, long>>(publication, Part, ct);
            var live = (await snapshot.GetAsync(ct)).Providers;
            var providers = new Dictionary<string, ProviderReferrals>();
            var bytes = 0L;
            foreach (var (provider, fingerprint) in fingerprints)
            {
                if (live.TryGetValue(provider, out var shared) && shared.Fingerprint == fingerprint)
                {
                    providers[provider] = shared;
                    continue;
                }
                var content = await database.QuerySingleOrDefaultAsync<byte[]>(SelectContent, new { provider, fingerprint }, ct)
                    ?? throw new InvalidOperationException($"The referrals of {provider} at {fingerprint} are not kept.");
                providers[provider] = Decode(provider, fingerprint, content);
                bytes += providers[provider].Count * 64L;
            }
            entry.Size = bytes + 1024;
            entry.SlidingExpiration = TimeSpan.FromMinutes(30);
            return new ReferralSnapshot.State(publication.DataVersion, providers);
        }))!;

    internal static byte[] Encode(ProviderReferrals r)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(new BrotliStream(buffer, CompressionLevel.Fastest, leaveOpen: true)))
        {
            foreach (var column in IntColumns(r)) Write(writer, column);
            foreach (var column in ByteColumns(r)) Write(writer, column);
        }
        return buffer.ToArray();
    }

    internal static ProviderReferrals Decode(string provider, long fingerprint, byte[] content)
    {
        using var reader = new BinaryReader(new BrotliStream(new MemoryStream(content), CompressionMode.Decompress));
        int[] Ints() => ReadInts(reader);
        byte[] Bytes() => reader.ReadBytes(reader.ReadInt32());
        // The order IntColumns and ByteColumns write them in.
        var (referralDay, firstContact, employerContact, discharge, client, firstJob) = (Ints(), Ints(), Ints(), Ints(), Ints(), Ints());
        var (jobReferral, jobStart, jobEnd, byClient, clientFirstJobDay, clientFirstJobReferral) =
            (Ints(), Ints(), Ints(), Ints(), Ints(), Ints());
        return new ProviderReferrals
        {
            ProviderCode = provider,
            Fingerprint = fingerprint,
            ReferralDay = referralDay,
            FirstContactDay = firstContact,
            EmployerContactDay = employerContact,
            DischargeDay = discharge,
            Client = client,
            FirstJobFromReferral = firstJob,
            JobReferral = jobReferral,
            JobStart = jobStart,
            JobEnd = jobEnd,
            ByClient = byClient,
            ClientFirstJobDay = clientFirstJobDay,
            ClientFirstJobReferral = clientFirstJobReferral,
            Ethnic = Bytes(),
            Gender = Bytes(),
            AgeBand = Bytes(),
            Employment = Bytes(),
        };
    }

    private static int[][] IntColumns(ProviderReferrals r) =>
    [
        r.ReferralDay, r.FirstContactDay, r.EmployerContactDay, r.DischargeDay, r.Client, r.FirstJobFromReferral,
        r.JobReferral, r.JobStart, r.JobEnd, r.ByClient, r.ClientFirstJobDay, r.ClientFirstJobReferral,
    ];

    private static byte[][] ByteColumns(ProviderReferrals r) => [r.Ethnic, r.Gender, r.AgeBand, r.Employment];

    private static void Write(BinaryWriter writer, int[] column)
    {
        writer.Write(column.Length);
        writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(column.AsSpan()));
    }

    private static void Write(BinaryWriter writer, byte[] column)
    {
        writer.Write(column.Length);
        writer.Write(column);
    }

    private static int[] ReadInts(BinaryReader reader)
    {
        var column = new int[reader.ReadInt32()];
        reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(column.AsSpan()));
        return column;
    }
}
