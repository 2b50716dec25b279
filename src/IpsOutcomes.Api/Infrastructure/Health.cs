using Dapper;
using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IpsOutcomes.Infrastructure;

/// <summary>Liveness: the process answers. Readiness: the database is reachable and migrated, and the job server is up.</summary>
public static class Health
{
    private const string Ready = "ready";

    public static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseReady>("database", tags: [Ready])
            .AddCheck<JobServerReady>("jobs", tags: [Ready]);
        return builder;
    }

    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false }).WithTags("Health");
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains(Ready) }).WithTags("Health");
        return app;
    }

    /// <summary>
    /// <c>healthcheck [url]</c>: exits 0 when the liveness endpoint answers. The container's HEALTHCHECK uses it,
    /// because the ASP.NET runtime image has no curl or wget.
    /// </summary>
    public static bool IsProbeInvocation(string[] args) => args.Length > 0 && args[0] == "healthcheck";

    public static async Task<int> ProbeAsync(string[] args)
    {
        var url = args.Length > 1 ? args[1] : $"http://localhost:{Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS") ?? "8080"}/health/live";
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await client.GetAsync(url);
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return 1;
        }
    }

    private sealed class DatabaseReady(Database database, MigrationState migrations) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            if (!migrations.IsCompleted) return HealthCheckResult.Unhealthy("Migrations have not finished.");
            try
            {
                await using var connection = await database.OpenAsync(cancellationToken);
                await connection.ExecuteScalarAsync<int>("SELECT 1");
                return HealthCheckResult.Healthy();
            }
            catch (Exception exception) when (exception is System.Data.Common.DbException or InvalidOperationException)
            {
                return HealthCheckResult.Unhealthy("The database cannot be reached.");
            }
        }
    }

    private sealed class JobServerReady(JobStorage storage) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var recent = DateTime.UtcNow.AddMinutes(-5);
            var servers = storage.GetMonitoringApi().Servers();
            return Task.FromResult(servers.Any(server => server.Heartbeat is null || server.Heartbeat > recent)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("No job server is running."));
        }
    }
}
