using System.Data.Common;
using Dapper;
using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Indicators;

/// <summary>An ICB's access target for a financial year: reference data, loaded as CSV, against which accessed_vs_target_pct is
/// shown.</summary>
public sealed record AccessTarget(string IcbCode, string FinancialYear, long Target);

/// <summary>The access targets: the only code that names their table.</summary>
public static class AccessTargets
{
    internal static readonly Sql UpsertTarget = new(
        Sqlite: """
            INSERT INTO access_targets (icb_code, financial_year, target, loaded_at, loaded_by_key_id)
            VALUES (@IcbCode, @FinancialYear, @Target, @LoadedAt, @KeyId)
            ON CONFLICT (icb_code, financial_year) DO UPDATE SET target = excluded.target, loaded_at = excluded.loaded_at,
                loaded_by_key_id = excluded.loaded_by_key_id
            """,
        SqlServer: """
            MERGE dbo.access_targets WITH (HOLDLOCK) AS t
            USING (SELECT @IcbCode AS icb_code, @FinancialYear AS financial_year) AS s
            ON t.icb_code = s.icb_code AND t.financial_year = s.financial_year
            WHEN MATCHED THEN UPDATE SET target = @Target, loaded_at = @LoadedAt, loaded_by_key_id = @KeyId
            WHEN NOT MATCHED THEN INSERT (icb_code, financial_year, target, loaded_at, loaded_by_key_id)
                VALUES (@IcbCode, @FinancialYear, @Target, @LoadedAt, @KeyId);
            """);

    /// <summary>The targets of one ICB, or of every ICB with null.</summary>
    public static Task<IReadOnlyList<AccessTarget>> ListAsync(Database database, string? icb, CancellationToken ct) =>
        database.QueryAsync<AccessTarget>(Select, new { icb }, ct);

    /// <summary>Sets each ICB's target for each year, in the caller's transaction.</summary>
    public static Task UpsertAsync(Database database, DbConnection connection, DbTransaction transaction,
        IReadOnlyList<AccessTarget> targets, DateTimeOffset now, long? keyId) =>
        connection.ExecuteAsync(database[UpsertTarget],
            targets.Select(t => new { t.IcbCode, t.FinancialYear, t.Target, LoadedAt = now, KeyId = keyId }), transaction);

    internal static readonly Sql Select = Sql.Portable("""
        SELECT icb_code AS IcbCode, financial_year AS FinancialYear, target AS Target FROM access_targets
        WHERE (@icb IS NULL OR icb_code = @icb) ORDER BY icb_code, financial_year
        """);
}
