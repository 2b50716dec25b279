using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Publications;

public static class PublicationsSetup
{
    public static WebApplicationBuilder AddPublications(this WebApplicationBuilder builder)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<AsPublished>();
        builder.Services.AddSingleton<FiguresClock>();
        builder.Services.AddSingleton<FrozenParts>();
        builder.Services.AddSingleton<PublicationStore>();
        builder.Services.AddSingleton<PublishedTable>();
        builder.Services.AddSingleton<Revisions>();
        builder.Services.AddSingleton<PublishedPages>();
        builder.Services.AddTransient<PublicationCut>();
        builder.Services.AddTransient<PublicationSchedule>();
        builder.Services.AddTransient<PublicationRetention>();
        builder.Services.AddHostedService<PublicationJobs>();
        return builder;
    }
}
