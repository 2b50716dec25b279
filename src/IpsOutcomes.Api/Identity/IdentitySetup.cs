namespace IpsOutcomes.Identity;

/// <summary>Users (people who sign in through an identity provider) and the settings of those providers.</summary>
public static class IdentitySetup
{
    public static WebApplicationBuilder AddIdentity(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(IdentitySettings.Read(builder.Configuration));
        builder.Services.AddSingleton<UserStore>();
        builder.Services.AddSingleton<UserAdministration>();
        builder.Services.AddSingleton<UserSignIn>();
        return builder;
    }
}
