using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Indicators;

/// <summary>
/// How much one request may ask for: the longest series, and the most rows of work; and from how many rows of work a
/// request is heavy: it waits its turn behind the few heavy requests allowed at once (<see cref="HeavyRequests"/>), and
/// its answer is streamed rather than built whole and kept.
/// </summary>
public sealed record IndicatorLimits(int MaxSeriesMonths, long MaxRows, long HeavyRows = 20_000);

public static class IndicatorsSetup
{
    public static WebApplicationBuilder AddIndicators(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ReferralStore>();
        builder.Services.AddSingleton<ReferralSnapshot>();
        builder.Services.AddSingleton<IndicatorService>();
        builder.Services.AddSingleton<IFrozenPart>(services => services.GetRequiredService<IndicatorService>());
        builder.Services.AddSingleton<FrozenReferrals>();
        builder.Services.AddSingleton<IndicatorFigures>();
        builder.Services.AddSingleton<PeerFigures>();
        builder.Services.AddHostedService<SnapshotWarmUp>();
        builder.Services.AddSingleton(new IndicatorLimits(
            builder.Configuration.GetValue("Indicators:MaxSeriesMonths", 120), builder.Configuration.GetValue("Indicators:MaxRows", 250_000L),
            builder.Configuration.GetValue("Indicators:HeavyRows", 20_000L)));
        builder.Services.AddSingleton(new HeavyRequests(builder.Configuration.GetValue("Indicators:HeavyConcurrency", 1),
            TimeSpan.FromSeconds(builder.Configuration.GetValue("Indicators:HeavyWaitSeconds", 60))));
        // Sized in bytes (each entry's estimate of what it holds), so the cache stays within its budget however large the answers are.
        builder.Services.AddMemoryCache(options => options.SizeLimit = builder.Configuration.GetValue("Indicators:CacheBytes", 256L << 20));
        // The benchmark-only comparison predates polarity: kept for existing BI reports, marked deprecated for new ones.
        builder.Services.Configure<Microsoft.AspNetCore.OpenApi.OpenApiOptions>("v1",
            options => options.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonTypeInfo.Type == typeof(IndicatorValue) && schema.Properties?.TryGetValue("comparison", out var comparison) == true)
                schema.Properties["comparison"] = new Microsoft.OpenApi.OpenApiSchema
                {
                    OneOf = [new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.Null }, comparison],
                    Deprecated = true,
                    Description = "Deprecated: higher, lower or similar against the benchmark, without polarity. Use comparisons " +
                        "(compare=benchmark, or icb,region,england,benchmark): better, worse or similar, read with the indicator's polarity.",
                };
            return Task.CompletedTask;
        }));
        return builder;
    }
}
