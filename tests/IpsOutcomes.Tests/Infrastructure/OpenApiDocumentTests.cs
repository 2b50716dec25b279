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

    /// <summary>An indicator row's benchmark-only comparison is kept for existing BI reports and marked deprecated for new ones.</summary>
    [Fact]
    public async Task TheBenchmarkOnlyComparisonIsDeprecated()
    {
        using var app = new TestApp();
        using var client = app.CreateClient();
        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
        var properties = document["components"]!["schemas"]!["IndicatorValue"]!["properties"]!;
        Assert.True(properties["comparison"]!["deprecated"]!.GetValue<bool>());
        Assert.Contains("comparisons", properties["comparison"]!["description"]!.GetValue<string>());
        Assert.Null(properties["comparisons"]!["deprecated"]);
    }

    /// <summary>Each comparison answer shows an example, in JSON and, where it serves CSV, as its CSV (its first column named
    /// here).</summary>
    [Theory]
    [InlineData("/api/v1/indicators", "organisation_code,")]
    [InlineData("/api/v1/indicators/funnel", "indicator,level,")]
    [InlineData("/api/v1/indicators/spc", "indicator,polarity,")]
    [InlineData("/api/v1/indicators/spine", "organisation_code,")]
    [InlineData("/api/v1/coverage", null)]
    public async Task TheComparisonAnswersCarryExamples(string path, string? csvStartsWith)
    {
        using var app = new TestApp();
        using var client = app.CreateClient();
        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
        var content = document["paths"]![path]!["get"]!["responses"]!["200"]!["content"]!;
        Assert.Contains(content["application/json"]!["example"]!.GetValueKind(), new[] { JsonValueKind.Object, JsonValueKind.Array });
        if (csvStartsWith is not null) Assert.StartsWith(csvStartsWith, content["text/csv"]!["example"]!.GetValue<string>());
    }

    private static string Normalise(string json) =>
        JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).ReplaceLineEndings("\n") + "\n";
}
