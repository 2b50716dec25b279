using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IpsOutcomes.TestIdentityProvider;

namespace IpsOutcomes.Tests.Identity;

/// <summary>
/// The service proves itself to the identity provider with a certificate instead of a secret (a signed client assertion, as
/// Entra ID takes for a certificate credential): the provider accepts the one it was given and refuses another.
/// </summary>
public sealed class ClientCertificateTests
{
    [Fact]
    public async Task ACertificateProvesTheServiceInsteadOfASecret()
    {
        using var ours = Certificate("CN=IPS Outcomes");
        using var stranger = Certificate("CN=Someone else");
        var pfx = Path.Combine(Path.GetTempPath(), $"ipsoutcomes-client-{Guid.NewGuid():N}.pfx");
        await File.WriteAllBytesAsync(pfx, ours.Export(X509ContentType.Pfx, "test-password"));
        await using var provider = await IdentityProvider.StartAsync();
        provider.ClientCertificate = X509CertificateLoader.LoadCertificate(ours.Export(X509ContentType.Cert));
        var person = new TestPerson("cert-1", "cert.person@example.nhs.uk", "Cert Person");
        provider.Add(person);
        using var app = new TestApp(settings: new()
        {
            ["Identity:Providers:0:Name"] = "test",
            ["Identity:Providers:0:DisplayName"] = "the test provider",
            ["Identity:Providers:0:Authority"] = provider.Authority.ToString(),
            ["Identity:Providers:0:ClientId"] = IdentityProvider.ClientId,
            ["Identity:Providers:0:ClientCertificatePath"] = pfx,
            ["Identity:Providers:0:ClientCertificatePassword"] = "test-password",
            ["Identity:Providers:0:RequireHttpsMetadata"] = "false",
        });
        app.UseKestrel(0);
        app.StartServer();
        using (var admin = app.Admin())
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/users",
                new { email = person.Email, name = person.Name, role = "national" })).StatusCode);
        var address = app.CreateClient().BaseAddress!;
        HttpClient Browser() => new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            BaseAddress = address,
        };

        using var signedIn = Browser();
        var (answer, _) = await SignInFixture.ThroughProviderAsync(signedIn, person);
        Assert.Equal("/", answer.Headers.Location?.ToString());

        provider.ClientCertificate = X509CertificateLoader.LoadCertificate(stranger.Export(X509ContentType.Cert));
        using var refused = Browser();
        (answer, _) = await SignInFixture.ThroughProviderAsync(refused, person);
        Assert.Equal("/sign-in/refused?reason=failed", answer.Headers.Location?.ToString());
        File.Delete(pfx);
    }

    private static X509Certificate2 Certificate(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }
}
