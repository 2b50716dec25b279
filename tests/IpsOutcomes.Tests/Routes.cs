namespace IpsOutcomes.Tests;

public static class Routes
{
    /// <summary>A concrete path for an endpoint's route pattern, with every parameter replaced by <paramref name="value"/>.</summary>
    public static string Path(Microsoft.AspNetCore.Routing.RouteEndpoint endpoint, string value) =>
        "/" + string.Join('/', endpoint.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part =>
            part is Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal ? literal.Content
                : Uri.EscapeDataString(value)))));
}
