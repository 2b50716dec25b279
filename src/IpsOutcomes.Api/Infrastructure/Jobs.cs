using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Dashboard;
using Hangfire.InMemory;
using Hangfire.Logging;
using Hangfire.SqlServer;

namespace IpsOutcomes.Infrastructure;

/// <summary>
/// Hangfire: in-process (in-memory) storage on the embedded default, SQL Server storage in production. The
/// storage and activator are registered per host rather than through Hangfire's global JobStorage.Current,
/// so that several hosts in one process (the tests) never share a queue.
/// </summary>
public static class Jobs
{
    public static WebApplicationBuilder AddJobs(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<JobStorage>(provider =>
        {
            _ = provider.GetRequiredService<IGlobalConfiguration>();
            var database = provider.GetRequiredService<Database>();
            return database.Provider == DatabaseProvider.Sqlite
                ? new InMemoryStorage(new InMemoryStorageOptions { IdType = InMemoryStorageIdType.Long })
                : new SqlServerStorage(database.ConnectionString, new SqlServerStorageOptions
                {
                    PrepareSchemaIfNecessary = true,
                    SchemaName = "hangfire",
                    QueuePollInterval = TimeSpan.Zero,
                    CommandBatchMaxTimeout = TimeSpan.FromMinutes(5),
                    SlidingInvisibilityTimeout = TimeSpan.FromMinutes(5),
                    DisableGlobalLocks = true,
                });
        });
        services.AddSingleton<JobActivator>(provider => new AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>()));
        services.AddSingleton<IBackgroundJobClient>(provider => new BackgroundJobClient(provider.GetRequiredService<JobStorage>()));
        services.AddSingleton<IRecurringJobManager>(provider => new RecurringJobManager(provider.GetRequiredService<JobStorage>()));
        services.AddSingleton(_ => DashboardRoutes.Routes);
        // Hangfire.AspNetCore's AddHangfire would reset process-wide settings (the log provider among them) for
        // every host; this configures them once and registers the marker the server and dashboard look for.
        services.AddSingleton(provider =>
        {
            HangfireLogBridge.Attach(provider.GetRequiredService<ILoggerFactory>());
            return HangfireGlobalConfiguration.Value;
        });
        // API-only instances (Jobs:RunServer=false) enqueue work for job servers elsewhere to process.
        if (builder.Configuration.GetValue("Jobs:RunServer", true))
            services.AddHangfireServer((provider, options) =>
            {
                options.WorkerCount = builder.Configuration.GetValue("Jobs:WorkerCount", Math.Max(2, Environment.ProcessorCount));
                options.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
                options.SchedulePollingInterval = TimeSpan.FromSeconds(builder.Configuration.GetValue("Jobs:SchedulePollingSeconds", 15));
            });
        return builder;
    }

    private static readonly Lazy<IGlobalConfiguration> HangfireGlobalConfiguration = new(() =>
    {
        GlobalConfiguration.Configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(HangfireLogBridge.Instance);
        return GlobalConfiguration.Configuration;
    });

    /// <summary>The dashboard is an endpoint like any other: admin keys only, problem details otherwise.</summary>
    public static WebApplication MapJobsDashboard(this WebApplication app)
    {
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new AuthenticatedByEndpoint()],
            DisplayStorageConnectionString = false,
            DashboardTitle = "IpsOutcomes jobs",
        }, app.Services.GetRequiredService<JobStorage>()).RequireAuthorization(Caller.AdminPolicy);
        return app;
    }

    // Authorisation is enforced by the endpoint's admin policy before the dashboard sees the request.
    private sealed class AuthenticatedByEndpoint : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.Identity?.IsAuthenticated == true;
    }
}

/// <summary>
/// Hangfire logs through one process-wide provider. This one writes to the latest host's logger factory and
/// drops the message once that host is gone, instead of failing the job that logged it.
/// </summary>
internal sealed class HangfireLogBridge : ILogProvider
{
    public static readonly HangfireLogBridge Instance = new();
    private static volatile ILoggerFactory? factory;

    public static void Attach(ILoggerFactory loggerFactory) => factory = loggerFactory;

    public ILog GetLogger(string name) => new ForwardingLog(name);

    private sealed class ForwardingLog(string name) : ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                var logger = factory?.CreateLogger(name);
                if (logger is null) return false;
                var level = (Microsoft.Extensions.Logging.LogLevel)(int)logLevel;
                if (messageFunc is null) return logger.IsEnabled(level);
                logger.Log(level, exception, "{Message}", messageFunc());
                return true;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
