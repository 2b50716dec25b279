using Hangfire;
using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Fidelity;

public static class FidelitySetup
{
    public static WebApplicationBuilder AddFidelity(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<FidelityStore>();
        builder.Services.AddSingleton<QualityMarkService>();
        builder.Services.AddSingleton<IFrozenPart>(services => services.GetRequiredService<FidelityStore>());
        builder.Services.AddSingleton<IFrozenPart>(services => services.GetRequiredService<QualityMarkService>());
        builder.Services.AddTransient<QualityMarkJob>();
        builder.Services.AddHostedService<QualityMarkSchedule>();
        return builder;
    }
}

/// <summary>Checks every provider's readiness daily (returns and figures move it as well as reviews), announcing changes.</summary>
public sealed class QualityMarkSchedule(IRecurringJobManager recurring) : StartupTask
{
    public override Task StartedAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<QualityMarkJob>("quality-mark", job => job.CheckAsync(null, CancellationToken.None), Cron.Daily(7));
        return Task.CompletedTask;
    }
}
