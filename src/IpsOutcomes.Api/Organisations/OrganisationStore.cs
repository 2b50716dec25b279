using System.Data.Common;
using Dapper;
using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Organisations;

/// <summary>
/// Regions, ICBs, providers and the ethnic categories: the only code that names their tables. Other rooms ask here
/// (who a provider is, which ICBs are open) rather than join them into their own SQL.
/// </summary>
public sealed class OrganisationStore(Database database, DataVersion dataVersion, AsPublished published, FrozenParts frozen) : IFrozenPart
{
    /// <summary>The register as a publication keeps it: every region, ICB and provider, in code order.</summary>
    public sealed record Register(IReadOnlyList<Region> Regions, IReadOnlyList<Icb> Icbs, IReadOnlyList<Provider> Providers);

    public string Part => "organisations";

    public async Task<object> CurrentAsync(CancellationToken ct) =>
        new Register(await database.QueryAsync<Region>(SelectRegions, null, ct), await database.QueryAsync<Icb>(SelectIcbs, null, ct),
            await database.QueryAsync<Provider>(SelectProviders, new { icb = (string?)null, only = (string?)null }, ct));

    /// <summary>The register as the publication the request asks for froze it; null for current figures.</summary>
    private async Task<Register?> PublishedAsync(CancellationToken ct) =>
        published.Current is { } publication ? await frozen.ReadAsync<Register>(publication, Part, ct) : null;

    // Not Infrastructure.Remembered: the data version is this memory's bracket, and it holds on SQL Server too.
    private sealed record RegisterAt(long Version, Register Register);

    private RegisterAt? standing;

    /// <summary>
    /// The register the request reads: as published, or as it stands, read once per data version. Every page asked for it
    /// several times, and in a month end's burst those reads were a quarter of the pages' work (issue 27). Every change to the
    /// register moves the data version in its own transaction (<see cref="Audit.AuditedChanges"/>), and the version is read before
    /// the register, so what is remembered under a version is never older than it.
    /// </summary>
    private async Task<Register> ReadAsync(CancellationToken ct)
    {
        if (await PublishedAsync(ct) is { } register) return register;
        var version = await dataVersion.CurrentAsync(ct);
        if (Volatile.Read(ref standing) is { } kept && kept.Version == version) return kept.Register;
        register = (Register)await CurrentAsync(ct);
        Volatile.Write(ref standing, new RegisterAt(version, register));
        return register;
    }

    internal static readonly Sql SelectRegions = Sql.Portable("SELECT code AS Code, name AS Name FROM regions ORDER BY code");

    private const string IcbColumns = """
        i.code AS Code, i.gss_code AS GssCode, i.name AS Name, i.region_code AS RegionCode, r.name AS RegionName,
        i.effective_from AS EffectiveFrom, i.effective_to AS EffectiveTo, i.successor_code AS SuccessorCode
        FROM icbs i JOIN regions r ON r.code = i.region_code
        """;

    internal static readonly Sql SelectIcbs = Sql.Portable($"SELECT {IcbColumns} ORDER BY i.code");

    internal static readonly Sql SelectIcb = Sql.Portable($"SELECT {IcbColumns} WHERE i.code = @code");

    internal static readonly Sql InsertIcb = Sql.Portable("""
        INSERT INTO icbs (code, gss_code, name, region_code, effective_from)
        VALUES (@Code, @GssCode, @Name, @RegionCode, @EffectiveFrom)
        """);

    internal static readonly Sql CloseIcb = Sql.Portable("""
        UPDATE icbs SET effective_to = @effectiveTo, successor_code = @successor WHERE code = @code
        """);

    internal static readonly Sql MoveProviders = Sql.Portable(
        "UPDATE providers SET icb_code = @successor WHERE icb_code = @code");

    private const string ProviderColumns = """
        code AS Code, name AS Name, icb_code AS IcbCode, active_from AS ActiveFrom, active_to AS ActiveTo FROM providers
        """;

    internal static readonly Sql SelectProviders = Sql.Portable($"""
        SELECT {ProviderColumns}
        WHERE (@icb IS NULL OR icb_code = @icb) AND (@only IS NULL OR code = @only)
        ORDER BY code
        """);

    internal static readonly Sql InsertProvider = Sql.Portable("""
        INSERT INTO providers (code, name, icb_code, active_from, active_to, created_at)
        VALUES (@Code, @Name, @IcbCode, @ActiveFrom, @ActiveTo, @CreatedAt)
        """);

    internal static readonly Sql UpdateProvider = Sql.Portable("""
        UPDATE providers SET name = @Name, icb_code = @IcbCode, active_from = @ActiveFrom, active_to = @ActiveTo
        WHERE code = @Code
        """);

    internal static readonly Sql SelectEthnicCategories = Sql.Portable("""
        SELECT code AS Code, name AS Name, broad_group AS BroadGroup FROM ethnic_categories
        ORDER BY CASE WHEN code = '99' THEN 2 WHEN code = 'Z' THEN 1 ELSE 0 END, code
        """);

    public async Task<IReadOnlyList<Region>> RegionsAsync(CancellationToken ct) => (await ReadAsync(ct)).Regions;

    /// <summary>Every ICB, open or closed, with its region.</summary>
    public async Task<IReadOnlyList<Icb>> IcbsAsync(CancellationToken ct) => (await ReadAsync(ct)).Icbs;

    public async Task<Icb?> IcbAsync(string code, CancellationToken ct) =>
        (await ReadAsync(ct)).Icbs.FirstOrDefault(i => string.Equals(i.Code, code, StringComparison.OrdinalIgnoreCase));

    /// <summary>Every provider.</summary>
    public Task<IReadOnlyList<Provider>> ProvidersAsync(CancellationToken ct) => ProvidersAsync(null, null, ct);

    /// <summary>The providers of one ICB (every ICB with null), or only one of them.</summary>
    public async Task<IReadOnlyList<Provider>> ProvidersAsync(string? icb, string? only, CancellationToken ct) =>
        (await ReadAsync(ct)).Providers.Where(p => (icb is null || p.IcbCode == icb) && (only is null || p.Code == only)).ToList();

    public async Task<Provider?> ProviderAsync(string code, CancellationToken ct) =>
        (await ReadAsync(ct)).Providers.FirstOrDefault(p => string.Equals(p.Code, code, StringComparison.OrdinalIgnoreCase));

    public Task<IReadOnlyList<EthnicCategory>> EthnicCategoriesAsync(CancellationToken ct) =>
        database.QueryAsync<EthnicCategory>(SelectEthnicCategories, null, ct);

    /// <summary>Opens the new ICB and closes its predecessors, moving their providers, in the caller's transaction.</summary>
    /// <returns>A predecessor that is not an ICB open before the merger, if one is named; nothing is written then.</returns>
    internal async Task<string?> MergeAsync(DbConnection connection, DbTransaction transaction, IcbMerger merger, string code)
    {
        var predecessors = merger.Predecessors.Select(p => p.ToUpperInvariant()).Distinct().ToList();
        foreach (var predecessor in predecessors)
        {
            var existing = await connection.QuerySingleOrDefaultAsync<Icb>(database[SelectIcb], new { code = predecessor }, transaction);
            if (existing is null || existing.EffectiveTo is not null || existing.EffectiveFrom >= merger.EffectiveFrom) return predecessor;
        }
        await connection.ExecuteAsync(database[InsertIcb],
            new { Code = code, merger.GssCode, merger.Name, merger.RegionCode, merger.EffectiveFrom }, transaction);
        foreach (var predecessor in predecessors)
        {
            await connection.ExecuteAsync(database[CloseIcb],
                new { code = predecessor, successor = code, effectiveTo = merger.EffectiveFrom.AddDays(-1) }, transaction);
            await connection.ExecuteAsync(database[MoveProviders], new { code = predecessor, successor = code }, transaction);
        }
        return null;
    }

    internal Task RegisterAsync(DbConnection connection, DbTransaction transaction, Provider provider, DateTimeOffset createdAt) =>
        connection.ExecuteAsync(database[InsertProvider], new
        {
            provider.Code,
            provider.Name,
            provider.IcbCode,
            provider.ActiveFrom,
            provider.ActiveTo,
            CreatedAt = createdAt,
        }, transaction);

    internal Task UpdateAsync(DbConnection connection, DbTransaction transaction, Provider provider) =>
        connection.ExecuteAsync(database[UpdateProvider], provider, transaction);
}
