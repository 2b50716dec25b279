namespace IpsOutcomes.Infrastructure;

/// <summary>What an address is: the API (answers are data), a third-party tool (Swagger UI, the jobs dashboard), or a page for
/// people.</summary>
public static class ServicePaths
{
    /// <summary>The API and what serves machines beside it: health probes and the OpenAPI document.</summary>
    public static bool IsApi(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/health") || path.StartsWithSegments("/openapi");

    public static bool IsTool(PathString path) => path.StartsWithSegments("/swagger") || path.StartsWithSegments("/hangfire");

    /// <summary>A page (or its assets): answered with the error page and the page policy, not problem details.</summary>
    public static bool IsPage(PathString path) => !IsApi(path) && !IsTool(path);
}
