using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Organisations;

public static class OrganisationsSetup
{
    public static WebApplicationBuilder AddOrganisations(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<OrganisationStore>();
        builder.Services.AddSingleton<IFrozenPart>(services => services.GetRequiredService<OrganisationStore>());
        return builder;
    }
}
