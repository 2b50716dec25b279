namespace IpsOutcomes.Identity;

/// <summary>Users (people who sign in through an identity provider) and the settings of those providers.</summary>
public static class IdentitySetup
{
    public static WebApplicationBuilder AddIdentity(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection("Identity").Get<IdentitySettings>() ?? new IdentitySettings();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<UserStore>();
        builder.Services.AddSingleton<UserAdministration>();
        builder.Services.AddSingleton<UserSignIn>();
        return builder;
    }
}
