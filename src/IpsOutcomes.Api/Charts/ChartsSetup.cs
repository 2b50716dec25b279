namespace IpsOutcomes.Charts;

public static class ChartsSetup
{
    public static WebApplicationBuilder AddCharts(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PngRenderer>();
        builder.Services.AddSingleton<Drawing>();
        return builder;
    }
}
