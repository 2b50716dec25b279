using IpsOutcomes.Infrastructure;
using IpsOutcomes.Returns;

namespace IpsOutcomes.Submissions;

public static class SubmissionsSetup
{
    public static WebApplicationBuilder AddSubmissions(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var defaults = ReturnLimits.Default;
        services.AddSingleton(new ReturnLimits(
            builder.Configuration.GetValue("Returns:MaxBytes", defaults.MaxBytes),
            builder.Configuration.GetValue("Returns:MaxRows", defaults.MaxRows),
            builder.Configuration.GetValue("Returns:MaxFindingsKept", defaults.MaxFindingsKept)));
        services.AddSingleton(_ => PseudonymisationSecret.Load(builder.Configuration));
        services.AddSingleton<ReturnValidator>();
        services.AddSingleton<UploadSpool>();
        services.AddSingleton<SubmissionStore>();
        services.AddSingleton<IFrozenPart>(provider => provider.GetRequiredService<SubmissionStore>());
        services.AddSingleton<FindingStore>();
        services.AddSingleton<ValidationContextLoader>();
        services.AddSingleton<SubmissionProcessor>();
        services.AddSingleton<ReturnIntake>();
        services.AddTransient<SubmissionJob>();
        services.AddHostedService<SubmissionRecovery>();
        return builder;
    }
}
