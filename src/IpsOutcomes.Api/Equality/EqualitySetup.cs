using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Equality;

public static class EqualitySetup
{
    public static WebApplicationBuilder AddEquality(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ReferenceDataStore>();
        builder.Services.AddSingleton<IFrozenPart>(services => services.GetRequiredService<ReferenceDataStore>());
        builder.Services.AddSingleton<EqualityFigures>();
        return builder;
    }
}
