namespace IpsOutcomes.Infrastructure;

/// <summary>
/// The embedded default keeps everything (the database, which also spools uploads, and the pseudonymisation secret) in one folder,
/// relative to the directory the service was started from.
/// </summary>
public static class DataFolder
{
    public static string Resolve(IConfiguration configuration)
    {
        var path = Path.GetFullPath(configuration["DataFolder"] ?? "data");
        Directory.CreateDirectory(path);
        return path;
    }
}
