using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;

namespace IpsOutcomes.Tests.Infrastructure;

/// <summary>The rooms of docs/architecture.md and the one direction of every arrow between them.</summary>
public partial class ArchitectureTests
{
    /// <summary>Each room, and the rooms it may use. Program.cs, outside every room, wires them all.</summary>
    public static readonly Dictionary<string, string[]> MayUse = new()
    {
        ["Infrastructure"] = [],
        ["Audit"] = ["Infrastructure"],
        ["Keys"] = ["Infrastructure", "Audit", "Organisations"],
        ["Identity"] = ["Infrastructure", "Audit", "Organisations"],
        ["Returns"] = ["Infrastructure"],
        ["Organisations"] = ["Infrastructure", "Audit", "Returns"],
        ["Webhooks"] = ["Infrastructure", "Audit", "Organisations"],
        ["Indicators"] = ["Infrastructure", "Audit", "Returns", "Organisations"],
        ["Equality"] = ["Infrastructure", "Audit", "Returns", "Organisations", "Indicators"],
        ["Submissions"] = ["Infrastructure", "Audit", "Returns", "Organisations", "Webhooks", "Indicators"],
        ["MonthEnd"] = ["Infrastructure", "Audit", "Returns", "Organisations", "Webhooks", "Indicators", "Submissions"],
        ["Fidelity"] = ["Infrastructure", "Audit", "Returns", "Organisations", "Webhooks", "Indicators", "Equality", "MonthEnd"],
        ["Publications"] = ["Infrastructure", "Audit", "Returns", "Organisations", "Webhooks", "Indicators", "Equality", "Submissions", "MonthEnd", "Fidelity"],
        ["Charts"] = ["Infrastructure", "Audit", "Returns", "Organisations", "Indicators", "Equality", "MonthEnd", "Fidelity"],
        ["Pages"] = ["Infrastructure", "Audit", "Keys", "Identity", "Returns", "Organisations", "Webhooks", "Indicators", "Equality", "Submissions", "MonthEnd", "Charts", "Fidelity", "Publications"],
    };

    /// <summary>
    /// Each room and the tables it owns: only the owner's SQL names them; another room goes through the owner's code.
    /// (Foreign keys between tables are the schema's business, in the migrations, and may cross rooms.)
    /// </summary>
    public static readonly Dictionary<string, string[]> Owns = new()
    {
        ["Infrastructure"] = ["data_version", "publication_parts"],
        ["Audit"] = ["audit_log"],
        ["Keys"] = ["api_keys"],
        ["Identity"] = ["users"],
        ["Organisations"] = ["regions", "icbs", "providers", "ethnic_categories"],
        ["Webhooks"] = ["webhooks", "webhook_deliveries"],
        ["Indicators"] = ["referrals", "referral_jobs", "accepted_data", "access_targets", "frozen_referrals"],
        ["Equality"] = ["reference_populations"],
        ["Submissions"] = ["submissions", "uploads", "upload_chunks", "findings", "idempotency_keys"],
        ["MonthEnd"] = ["overdue_returns"],
        ["Fidelity"] = ["fidelity_reviews", "fidelity_review_items", "quality_mark_starts", "quality_mark_readiness"],
        ["Pages"] = ["page_sessions"],
        ["Publications"] = ["publications", "publication_sign_offs"],
    };

    private static string Source => Path.Combine(RepositoryRoot.Path, "src", "IpsOutcomes.Api");

    [GeneratedRegex(@"\b(?:FROM|JOIN|INTO|UPDATE|MERGE|TABLE)\s+(?:dbo\.)?(?<table>[a-z_]+)\b")]
    private static partial Regex TableReference();

    [GeneratedRegex(@"CREATE TABLE (?<table>[a-z_]+)")]
    private static partial Regex TableCreation();

    /// <summary>The tables of other rooms that a room's source names in SQL.</summary>
    public static IEnumerable<string> ForeignTables(string room, string source) =>
        TableReference().Matches(WithoutComments(source)).Select(m => m.Groups["table"].Value).Distinct()
            .Where(table => Owns.Any(o => o.Key != room && o.Value.Contains(table)));

    private static string WithoutComments(string source) => Regex.Replace(source, @"//.*|/\*[\s\S]*?\*/", "");

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
                var text = WithoutComments(File.ReadAllText(file)); // comments may name any room
                foreach (var used in RoomReference().Matches(text).Select(m => m.Groups["room"].Value).Distinct())
                    if (used != room && !allowed.Contains(used)) wrong.Add($"{room}/{Path.GetFileName(file)} uses {used}");
            }
        Assert.True(wrong.Count == 0, "Arrows the wrong way (see docs/architecture.md):\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void EveryTableHasOneOwningRoom()
    {
        var created = Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "sql", "sqlite"), "*.sql")
            .SelectMany(f => TableCreation().Matches(File.ReadAllText(f)).Select(m => m.Groups["table"].Value)).Order();
        Assert.Equal(created, Owns.Values.SelectMany(t => t).Order());
        Assert.All(Owns.Keys, room => Assert.Contains(room, MayUse.Keys));
    }

    [Fact]
    public void NoRoomNamesAnotherRoomsTable()
    {
        var wrong = MayUse.Keys
            .SelectMany(room => Directory.GetFiles(Path.Combine(Source, room), "*.cs", SearchOption.AllDirectories)
                .SelectMany(file => ForeignTables(room, File.ReadAllText(file)).Select(table => $"{room}/{Path.GetFileName(file)} names {table}")))
            .ToList();
        Assert.True(wrong.Count == 0, "SQL on another room's table (go through the owning room's code; see docs/architecture.md):\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void TheTestSeesAForeignTable()
    {
        const string keys = """
            internal static readonly Sql Exists = Sql.Portable("SELECT COUNT(*) FROM providers p JOIN dbo.icbs i ON i.code = p.icb_code");
            internal static readonly Sql Purge = Sql.Portable("DELETE FROM findings WHERE 1 = 0; UPDATE api_keys SET revoked_at = NULL");
            // A comment may say FROM submissions, and a sentence may say it came from providers.
            """;
        Assert.Equal(["providers", "icbs", "findings"], ForeignTables("Keys", keys));
        Assert.Empty(ForeignTables("Organisations", "SELECT code FROM providers JOIN icbs ON 1 = 1 JOIN regions ON 1 = 1"));
    }

    [Fact]
    public void NoHandlerTakesMoreThanSixParameters()
    {
        using var app = new TestApp();
        var handlers = app.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .Select(e => e.Metadata.GetMetadata<System.Reflection.MethodInfo>()).OfType<System.Reflection.MethodInfo>().Distinct().ToList();
        Assert.True(handlers.Count >= 40, $"only {handlers.Count} handlers found");
        var tooMany = handlers.Where(h => h.GetParameters().Length > 6).Select(h => $"{h.DeclaringType?.Name}.{h.Name}: {h.GetParameters().Length}");
        Assert.True(!tooMany.Any(), "Bundle a handler's services in an [AsParameters] record:\n" + string.Join("\n", tooMany));
    }

    [GeneratedRegex(@"\$*"""""".*?""""""|\$?@?""(?:[^""\\]|\\.)*""")]
    private static partial Regex StringLiteral();

    /// <summary>
    /// The lines longer than 140 characters once their string literals are set aside (a long message or SQL may stay, and so
    /// may a table in a comment).
    /// </summary>
    public static IEnumerable<int> LongCodeLines(string source)
    {
        var inRawString = false;
        var number = 0;
        foreach (var line in source.Split('\n'))
        {
            number++;
            if (Regex.Count(line, "\"\"\"") % 2 == 1) inRawString = !inRawString;
            else if (!inRawString && line.TrimEnd().Length > 140 && !line.TrimStart().StartsWith("/// |", StringComparison.Ordinal)
                     && StringLiteral().Replace(line.TrimEnd(), "\"\"").Length > 140)
                yield return number;
        }
    }

    [Fact]
    public void NoCodeLineIsLongerThan140Characters()
    {
        var sources = new[] { "src", "tests", "tools" }.Select(d => Path.Combine(RepositoryRoot.Path, d))
            .SelectMany(d => Directory.GetFiles(d, "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        var wrong = sources.SelectMany(f => LongCodeLines(File.ReadAllText(f)).Select(n => $"{Path.GetRelativePath(RepositoryRoot.Path, f)}:{n}")).ToList();
        Assert.True(wrong.Count == 0, "Lines over 140 characters (.editorconfig's max_line_length), strings aside:\n" + string.Join("\n", wrong));
        Assert.Equal([2], LongCodeLines($"var a = 1;\nvar b = {new string('x', 141)};\nvar c = \"{new string('y', 141)}\";\n"));
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
