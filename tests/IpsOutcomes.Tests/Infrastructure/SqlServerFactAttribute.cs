namespace IpsOutcomes.Tests.Infrastructure;

/// <summary>Runs only where IPS_TEST_SQLSERVER holds a connection string; reported as skipped otherwise.</summary>
public sealed class SqlServerFactAttribute : FactAttribute
{
    public static string? ConnectionString => Environment.GetEnvironmentVariable("IPS_TEST_SQLSERVER");

    public SqlServerFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString)) Skip = "IPS_TEST_SQLSERVER is not set: no SQL Server to test against.";
    }
}
