using System.Text.RegularExpressions;

namespace IpsOutcomes.Tests.Infrastructure;

/// <summary>The rooms of docs/architecture.md and the one direction of every arrow between them.</summary>
public partial class ArchitectureTests
{
    /// <summary>Each room, and the rooms it may use. Program.cs, outside every room, wires them all.</summary>
    public static readonly Dictionary<string, string[]> MayUse = new()
    {
        ["Infrastructure"] = [],
        ["Audit"] = ["Infrastructure"],
        ["Keys"] = ["Infrastructure", "Audit"],
        ["Returns"] = ["Infrastructure"],
        ["Organisations"] = ["Infrastructure", "Audit", "Returns"],
        ["Webhooks"] = ["Infrastructure", "Audit"],
        ["Indicators"] = ["Infrastructure", "Audit", "Returns"],
        ["Equality"] = ["Infrastructure", "Audit", "Returns", "Indicators"],
        ["Submissions"] = ["Infrastructure", "Audit", "Returns", "Organisations", "Webhooks", "Indicators"],
        ["MonthEnd"] = ["Infrastructure", "Audit", "Returns", "Organisations", "Webhooks", "Indicators", "Submissions"],
        ["Fidelity"] = ["Infrastructure", "Audit", "Returns", "Organisations", "Webhooks", "Indicators", "Equality", "MonthEnd"],
        ["Charts"] = ["Infrastructure", "Audit", "Returns", "Organisations", "Indicators", "Equality", "MonthEnd", "Fidelity"],
        ["Pages"] = ["Infrastructure", "Audit", "Keys", "Returns", "Organisations", "Webhooks", "Indicators", "Equality", "Submissions", "MonthEnd", "Charts", "Fidelity"],
    };

    private static string Source => Path.Combine(RepositoryRoot.Path, "src", "IpsOutcomes.Api");

    [GeneratedRegex(@"(?:using\s+(?:static\s+)?IpsOutcomes\.|IpsOutcomes\.|(?<![\w.""]))(?<room>Infrastructure|Audit|Keys|Returns|Organisations|Webhooks|Indicators|Equality|Submissions|MonthEnd|Charts|Fidelity|Pages)(?:;|\.(?=[A-Z]))")]
    private static partial Regex RoomReference();

    [Fact]
    public void EveryFolderIsARoomOfTheMap()
    {
        var folders = Directory.GetDirectories(Source).Select(Path.GetFileName)
            .Where(f => f is not ("bin" or "obj" or "Properties" or "data" or "wwwroot")).Order();
        Assert.Equal(MayUse.Keys.Order(), folders);
    }

    [Fact]
    public void NoRoomUsesOneItMayNot()
    {
        var wrong = new List<string>();
        foreach (var (room, allowed) in MayUse)
            foreach (var file in Directory.GetFiles(Path.Combine(Source, room), "*.cs", SearchOption.AllDirectories))
            {
                var text = Regex.Replace(File.ReadAllText(file), @"//.*|/\*[\s\S]*?\*/", ""); // comments may name any room
                foreach (var used in RoomReference().Matches(text).Select(m => m.Groups["room"].Value).Distinct())
                    if (used != room && !allowed.Contains(used)) wrong.Add($"{room}/{Path.GetFileName(file)} uses {used}");
            }
        Assert.True(wrong.Count == 0, "Arrows the wrong way (see docs/architecture.md):\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void ReturnsIsAPureLibrary()
    {
        var impure = Directory.GetFiles(Path.Combine(Source, "Returns"), "*.cs")
            .Where(f => Regex.IsMatch(File.ReadAllText(f),
                @"using (Dapper|Microsoft\.AspNetCore|Microsoft\.Data|Hangfire)\b|\bDatabase\b|\bHttpContext\b|\b(File|Directory)\.\w+\(|\bFileStream\b|\bIConfiguration\b"))
            .Select(Path.GetFileName).ToList();
        Assert.True(impure.Count == 0, "Returns holds the format, the rules, the validator and pseudonymisation: no HTTP, no database, no files, no settings. " + string.Join(", ", impure));
    }

    [Fact]
    public void TheTestSeesAWrongArrow()
    {
        // The pattern itself, on the shapes an import takes.
        Assert.Equal(["Indicators", "Equality", "Keys"],
            RoomReference().Matches("using IpsOutcomes.Indicators;\nvar t = Equality.ReferenceDataApi.X; var k = IpsOutcomes.Keys.Role.Admin; var n = cells.Keys.Count;")
                .Select(m => m.Groups["room"].Value));
    }
}
