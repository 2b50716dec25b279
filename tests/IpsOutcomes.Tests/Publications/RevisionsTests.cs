using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hangfire;
using IpsOutcomes.Fidelity;
using IpsOutcomes.Tests.Returns;
using Microsoft.Extensions.DependencyInjection;

namespace IpsOutcomes.Tests.Publications;

/// <summary>
/// A month's provisional and final publications, cut on schedule with a correction, a late return and a review between them: the
/// revisions list exactly the figures whose published form differs between the two open data downloads, with their reasons; and
/// each download is described by its data package.
/// </summary>
public sealed class RevisionsTests
{
    [Fact]
    public async Task TheFinalPublicationListsEveryFigureRevisedSinceTheProvisionalAndWhy()
    {
        var clock = new TestClock(new DateTimeOffset(2025, 4, 12, 9, 0, 0, TimeSpan.Zero));
        using var app = new TestApp(clock: clock);
        var random = new Random(25);
        await AsPublishedTests.FourServicesAsync(app, "REV", random, 7);
        var jobs = app.Services.GetRequiredService<IRecurringJobManager>();
        using var national = app.ClientWithKey(await app.IssueKeyAsync("national"));

        clock.Now = new DateTimeOffset(2025, 4, 20, 7, 30, 0, TimeSpan.Zero);
        jobs.Trigger("publications");
        await AsPublishedTests.CutAsync(national, "2025-03-provisional");
        await AsPublishedTests.AllCutAsync(national);

        clock.Now = new DateTimeOffset(2025, 5, 6, 9, 0, 0, TimeSpan.Zero);
        await AsPublishedTests.SubmitAsync(app, "REV01", AsPublishedTests.ReturnFile(random, "REV01", 7)); // a correction
        await AsPublishedTests.SubmitAsync(app, "REV03", AsPublishedTests.ReturnFile(random, "REV03", 3)); // a late return
        using (var icb = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO")))
            await Expect.Status(await icb.PostAsJsonAsync("/api/v1/providers/REV02/fidelity-reviews",
                new { review_date = "2025-03-12", kind = "external", scores = FidelityScale.Items.ToDictionary(i => i.Code, _ => 4) }),
                HttpStatusCode.OK);

        clock.Now = new DateTimeOffset(2025, 5, 20, 7, 30, 0, TimeSpan.Zero);
        jobs.Trigger("publications");
        await AsPublishedTests.CutAsync(national, "2025-03-final");
        await AsPublishedTests.AllCutAsync(national);

        // The open data of each, as anyone may download it.
        using var anonymous = app.CreateClient();
        var provisional = Table(await anonymous.GetStringAsync("/api/v1/publications/2025-03-provisional/figures.csv"));
        var final = Table(await anonymous.GetStringAsync("/api/v1/publications/2025-03-final/figures.csv"));
        Assert.True(provisional.Count > 1000, $"{provisional.Count} figures");

        var report = await national.GetFromJsonAsync<JsonElement>("/api/v1/publications/2025-03-final/revisions");
        Assert.Equal(("2025-03-provisional", "2025-03-final"), (report.GetProperty("before").GetString(), report.GetProperty("after").GetString()));
        var listed = report.GetProperty("changes").EnumerateArray().Select(c => string.Join("|", c.GetProperty("organisation_level").GetString(),
            c.GetProperty("organisation_code").GetString(), c.GetProperty("indicator_id").GetString(), c.GetProperty("period_type").GetString(),
            c.GetProperty("period").GetString(), c.GetProperty("breakdown").GetString(), c.GetProperty("group").GetString())).ToHashSet();

        // Worked out here from the two downloads: a figure changed where its published form differs, unless hidden in both.
        var expected = final.Keys.Union(provisional.Keys).Where(key =>
        {
            var (before, after) = (provisional.GetValueOrDefault(key), final.GetValueOrDefault(key));
            if (before is not null && after is not null && before.Value.Suppressed && after.Value.Suppressed) return false;
            return before != after;
        }).ToHashSet();
        Assert.True(expected.Count > 50, $"{expected.Count} figures changed");
        Assert.Equal(expected.Order(), listed.Order());
        var summary = report.GetProperty("summary");
        Assert.Equal(expected.Count, summary.GetProperty("figures_changed").GetInt32());
        Assert.Contains("REV01", summary.GetProperty("organisations").EnumerateArray().Select(o => o.GetString()));
        Assert.DoesNotContain("REV04", summary.GetProperty("organisations").EnumerateArray().Select(o => o.GetString()));

        var reasons = report.GetProperty("reasons");
        var returns = reasons.GetProperty("returns").EnumerateArray()
            .Select(r => (r.GetProperty("provider_code").GetString(), r.GetProperty("resubmission").GetBoolean())).ToList();
        Assert.Equal([("REV01", true), ("REV03", false)], returns);
        Assert.Equal("REV02", Assert.Single(reasons.GetProperty("reviews").EnumerateArray()).GetProperty("provider_code").GetString());

        // Against current figures, nothing has changed since the final publication; the CSV has one row per change.
        var againstCurrent = await national.GetFromJsonAsync<JsonElement>("/api/v1/publications/2025-03-final/revisions?against=current");
        Assert.Equal(0, againstCurrent.GetProperty("summary").GetProperty("figures_changed").GetInt32());
        var csv = await national.GetStringAsync("/api/v1/publications/2025-03-final/revisions?format=csv");
        Assert.Equal(expected.Count + 1, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        await Expect.Problem(await national.GetAsync("/api/v1/publications/2025-03-final/revisions?against=nope"), HttpStatusCode.NotFound,
            "urn:ipsoutcomes:problem:not-found");

        // The data package describes the download: its columns in order, a type each value fits, '*' as the missing value.
        var package = await anonymous.GetFromJsonAsync<JsonElement>("/api/v1/publications/2025-03-final/datapackage.json");
        Assert.Equal("OGL-UK-3.0", package.GetProperty("licenses")[0].GetProperty("name").GetString());
        var schema = package.GetProperty("resources")[0].GetProperty("schema");
        var fields = schema.GetProperty("fields").EnumerateArray().ToList();
        var lines = (await anonymous.GetStringAsync("/api/v1/publications/2025-03-final/figures.csv")).TrimStart('\uFEFF')
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(fields.Select(f => f.GetProperty("name").GetString()), lines[0].Split(','));
        var missing = schema.GetProperty("missingValues").EnumerateArray().Select(m => m.GetString()).ToHashSet();
        foreach (var line in lines.Skip(1).Where(l => !l.Contains('"')))
            foreach (var (value, field) in line.Split(',').Zip(fields))
            {
                if (missing.Contains(value)) continue;
                var fits = field.GetProperty("type").GetString() switch
                {
                    "integer" => long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
                    "number" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
                    "date" => DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
                    "boolean" => value is "true" or "false",
                    _ => true,
                } && (!field.TryGetProperty("constraints", out var c) || !c.TryGetProperty("enum", out var allowed)
                    || allowed.EnumerateArray().Any(a => a.GetString() == value));
                Assert.True(fits, $"{field.GetProperty("name").GetString()} = '{value}' does not fit the schema");
            }
    }

    private readonly record struct Figure(string Value, string Numerator, string Denominator, bool Suppressed);

    /// <summary>The open data CSV by its primary key (level, code, indicator, period type, period, breakdown, group).</summary>
    private static Dictionary<string, Figure?> Table(string csv)
    {
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',').Select((name, index) => (name, index)).ToDictionary(c => c.name, c => c.index);
        var table = new Dictionary<string, Figure?>();
        foreach (var line in lines.Skip(1))
        {
            var cells = SplitCsv(line);
            string C(string name) => cells[header[name]];
            var figure = new Figure(C("value"), C("numerator"), C("denominator"), C("suppressed") == "true");
            // A figure never worked out (no value, not suppressed) is as good as absent.
            table[string.Join("|", C("organisation_level"), C("organisation_code"), C("indicator_id"), C("period_type"), C("period"),
                C("breakdown"), C("group"))] = figure.Value == "" && !figure.Suppressed ? null : figure;
        }
        return table.Where(t => t.Value is not null).ToDictionary();
    }

    private static List<string> SplitCsv(string line)
    {
        var cells = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
            else if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { cells.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }
        cells.Add(current.ToString());
        return cells;
    }
}
