using System.Data.Common;
using Dapper;
using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Organisations;

namespace IpsOutcomes.Equality;

/// <summary>A code a reference-data row may name: an ICB (its own ICB code) or a provider (the ICB it is registered under).</summary>
public sealed record KnownOrganisation(string Code, string IcbCode, bool IsIcb);

/// <summary>
/// The reference data ICBs and admins load: the caseload populations by ethnic group (the only code that names their
/// table) and, through the indicators' <see cref="AccessTargets"/>, the access targets.
/// </summary>
public sealed class ReferenceDataStore(Database database, OrganisationStore register, IndicatorService indicators, AsPublished published,
    FrozenParts frozen) : IFrozenPart
{
    public string Part => "populations";

    public async Task<object> CurrentAsync(CancellationToken ct) =>
        await database.QueryAsync<ReferencePopulation>(SelectPopulations, new { organisation = (string?)null, year = (string?)null }, ct);

    internal static readonly Sql DeletePopulation = Sql.Portable(
        "DELETE FROM reference_populations WHERE organisation_code = @OrganisationCode AND financial_year = @FinancialYear");

    internal static readonly Sql InsertPopulation = Sql.Portable("""
        INSERT INTO reference_populations (organisation_code, financial_year, group_code, people, loaded_at, loaded_by_key_id)
        VALUES (@OrganisationCode, @FinancialYear, @GroupCode, @People, @LoadedAt, @KeyId)
        """);

    internal static readonly Sql SelectPopulations = Sql.Portable("""
        SELECT organisation_code AS OrganisationCode, financial_year AS FinancialYear, group_code AS GroupCode, people AS People
        FROM reference_populations
        WHERE (@organisation IS NULL OR organisation_code = @organisation) AND (@year IS NULL OR financial_year = @year)
        ORDER BY organisation_code, financial_year, group_code
        """);

    internal static readonly Sql SelectPopulationsOfYear = Sql.Portable("""
        SELECT organisation_code AS OrganisationCode, group_code AS GroupCode, people AS People
        FROM reference_populations WHERE financial_year = @year
        """);

    /// <summary>Every ICB and provider by code (an ICB where a provider shares its code).</summary>
    public async Task<IReadOnlyDictionary<string, KnownOrganisation>> KnownOrganisationsAsync(CancellationToken ct)
    {
        var known = (await register.ProvidersAsync(ct)).ToDictionary(p => p.Code, p => new KnownOrganisation(p.Code, p.IcbCode, false));
        foreach (var icb in await register.IcbsAsync(ct)) known[icb.Code] = new KnownOrganisation(icb.Code, icb.Code, true);
        return known;
    }

    /// <summary>The loaded populations of an organisation and a year (each, or all with null).</summary>
    public async Task<IReadOnlyList<ReferencePopulation>> PopulationsAsync(string? organisation, string? year, CancellationToken ct) =>
        published.Current is { } publication
            ? (await frozen.ReadAsync<List<ReferencePopulation>>(publication, Part, ct))
                .Where(p => (organisation is null || p.OrganisationCode == organisation) && (year is null || p.FinancialYear == year))
                .ToList()
            : await database.QueryAsync<ReferencePopulation>(SelectPopulations, new { organisation, year }, ct);

    /// <summary>Replaces the figures of each organisation and year the load covers, in the caller's transaction.</summary>
    public async Task ReplacePopulationsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<ReferencePopulation> loaded,
        DateTimeOffset now, long? keyId)
    {
        foreach (var key in loaded.Select(p => new { p.OrganisationCode, p.FinancialYear }).Distinct())
            await connection.ExecuteAsync(database[DeletePopulation], key, transaction);
        await connection.ExecuteAsync(database[InsertPopulation],
            loaded.Select(p => new { p.OrganisationCode, p.FinancialYear, p.GroupCode, p.People, LoadedAt = now, KeyId = keyId }),
                transaction);
    }

    /// <summary>Sets each ICB's access target for each year, in the caller's transaction (the table is the indicators').</summary>
    public Task UpsertTargetsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<AccessTarget> targets,
        DateTimeOffset now, long? keyId) =>
        AccessTargets.UpsertAsync(database, connection, transaction, targets, now, keyId);

    /// <summary>The access targets of one ICB, or of every ICB with null.</summary>
    public Task<IReadOnlyList<AccessTarget>> TargetsAsync(string? icb, CancellationToken ct) => indicators.TargetsAsync(icb, ct);

    /// <summary>The populations of one year, for a request's reports to share.</summary>
    public EqualityReports.PopulationTables Tables() => new(this);

    /// <summary>A year's populations, each with the region of the ICB it belongs to (none for a provider's).</summary>
    internal async Task<IReadOnlyList<EqualityReports.PopulationRow>> PopulationsOfYearAsync(string year, CancellationToken ct)
    {
        var rows = published.Current is { } publication
            ? (await frozen.ReadAsync<List<ReferencePopulation>>(publication, Part, ct)).Where(p => p.FinancialYear == year)
                .Select(p => new EqualityReports.PopulationRow
                {
                    OrganisationCode = p.OrganisationCode,
                    GroupCode = p.GroupCode,
                    People = p.People,
                })
                .ToList()
            : await database.QueryAsync<EqualityReports.PopulationRow>(SelectPopulationsOfYear, new { year }, ct);
        var regionOf = (await register.IcbsAsync(ct)).ToDictionary(i => i.Code, i => i.RegionCode);
        foreach (var row in rows) row.RegionCode = regionOf.GetValueOrDefault(row.OrganisationCode);
        return rows;
    }
}
