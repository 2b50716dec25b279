using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Indicators;

/// <summary>An ICB's access target for a financial year: reference data, loaded as CSV, against which accessed_vs_target_pct is shown.</summary>
public sealed record AccessTarget(string IcbCode, string FinancialYear, long Target);

public static class AccessTargets
{
    internal static readonly Sql Select = Sql.Portable("""
        SELECT icb_code AS IcbCode, financial_year AS FinancialYear, target AS Target FROM access_targets
        WHERE (@icb IS NULL OR icb_code = @icb) ORDER BY icb_code, financial_year
        """);
}
