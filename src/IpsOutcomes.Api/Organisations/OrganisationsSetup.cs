namespace IpsOutcomes.Organisations;

public static class OrganisationsSetup
{
    public static WebApplicationBuilder AddOrganisations(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<OrganisationStore>();
        return builder;
    }
}
