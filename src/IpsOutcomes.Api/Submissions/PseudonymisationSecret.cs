using System.Security.Cryptography;
using System.Text;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Returns;

namespace IpsOutcomes.Submissions;

/// <summary>
/// The deployment's pseudonymisation secret: <c>Pseudonymisation:Secret</c> (base64) in production; generated once into
/// the data folder otherwise, readable by the service's user only. Kept out of Returns, which does no file IO.
/// </summary>
public static class PseudonymisationSecret
{
    public static Pseudonymiser Load(IConfiguration configuration)
    {
        if (configuration["Pseudonymisation:Secret"] is { Length: > 0 } configured)
            return new Pseudonymiser(Convert.FromBase64String(configured));
        var path = Path.Combine(DataFolder.Resolve(configuration), "pseudonymisation.key");
        if (!File.Exists(path))
        {
            var generated = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            try
            {
                using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
                file.Write(Encoding.ASCII.GetBytes(generated));
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first; use theirs.
            }
        }
        return new Pseudonymiser(Convert.FromBase64String(File.ReadAllText(path).Trim()));
    }
}
