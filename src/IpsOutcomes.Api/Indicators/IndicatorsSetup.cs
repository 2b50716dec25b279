namespace IpsOutcomes.Indicators;

/// <summary>How much one request may ask for: the longest series, and the most rows.</summary>
public sealed record IndicatorLimits(int MaxSeriesMonths, long MaxRows);

public static class IndicatorsSetup
{
    public static WebApplicationBuilder AddIndicators(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ReferralSnapshot>();
        builder.Services.AddSingleton<IndicatorService>();
        builder.Services.AddHostedService<SnapshotWarmUp>();
        builder.Services.AddSingleton(new IndicatorLimits(
            builder.Configuration.GetValue("Indicators:MaxSeriesMonths", 120), builder.Configuration.GetValue("Indicators:MaxRows", 250_000L)));
        // Sized in bytes (each entry's estimate of what it holds), so the cache stays within its budget however large the answers are.
        builder.Services.AddMemoryCache(options => options.SizeLimit = builder.Configuration.GetValue("Indicators:CacheBytes", 256L << 20));
        return builder;
    }
}
