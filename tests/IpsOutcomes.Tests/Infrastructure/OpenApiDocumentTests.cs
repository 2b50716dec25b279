using System.Text.Json;
using System.Text.Json.Nodes;

namespace IpsOutcomes.Tests.Infrastructure;

public class OpenApiDocumentTests
{
    private static readonly string Committed = Path.Combine(RepositoryRoot.Path, "openapi", "v1.json");

    /// <summary>
    /// The committed document must be what the running service serves.
    /// To regenerate: UPDATE_OPENAPI=1 dotnet test --filter OpenApiDocumentTests
    /// </summary>
    [Fact]
    public async Task TheCommittedDocumentMatchesTheRunningService()
    {
        using var app = new TestApp();
        using var client = app.CreateClient();
        var served = Normalise(await client.GetStringAsync("/openapi/v1.json"));

        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1")
            await File.WriteAllTextAsync(Committed, served);

        Assert.True(File.Exists(Committed), $"{Committed} is missing; run UPDATE_OPENAPI=1 dotnet test --filter OpenApiDocumentTests");
        var committed = Normalise(await File.ReadAllTextAsync(Committed));
        Assert.True(committed == served,
            "openapi/v1.json differs from the running service's document; run UPDATE_OPENAPI=1 dotnet test --filter OpenApiDocumentTests and commit the result.");
    }

    private static string Normalise(string json) =>
        JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).ReplaceLineEndings("\n") + "\n";
}
