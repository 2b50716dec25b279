using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IpsOutcomes.Tests.Publications;
using IpsOutcomes.Tests.Returns;
using static IpsOutcomes.Tests.Disclosure.InferenceTests;

namespace IpsOutcomes.Tests.Disclosure;

/// <summary>
/// Revisions are a way to difference two states of the data (publications.md). The attacker of <see cref="InferenceTests"/>, an ICB
/// key without the permission, holds March's figures as published before two of its small services corrected their returns and
/// as published after (which is also what current figures say), and the revisions between them; it knows which services
/// resubmitted (the revisions say so), so every other service's counts are the same in both. It reads every indicator, breakdown,
/// period type and level of both, and narrows every count of both states at once: each state's levels, periods and complements,
/// tied together by the unchanged services and the rest of the region and of England. It must pin no suppressed count of either.
/// </summary>
public sealed class PublicationInferenceTests
{
    private static readonly string[] Corrected = ["INF02", "INF03"];

    /// <remarks>
    /// Open (issue 25), and waiting on a decision about the rounding rule (README, "What differencing remains"). Two small services
    /// each correcting two March rows (ethnicity and first contact) let this attack pin 1,624 suppressed counts of the two states:
    /// 2 above 0 (4 women accessing in England in September 2024), the rest 0, in every month of the year and not only March. The
    /// corrected cells give a second rounding of the same year-to-date and rolling sums, offset from the first, and the intervals
    /// narrow from there through every month. Rewriting the two returns whole pinned 5,181, and recovered even shown counts exactly
    /// (the region's April 2024 referrals, published as 20: 19). One state alone pins none. Hiding a few more cells would not stop it:
    /// the leak runs through the shown counts, each the nearest 5 of its true value in each state.
    /// </remarks>
    [Fact(Skip = "Open finding of issue 25: two publications of a month pin 1,624 suppressed counts; see the remarks")]
    public async Task TwoPublicationsOfAMonthPinNoSuppressedCount()
    {
        var clock = new TestClock(new DateTimeOffset(2025, 4, 14, 9, 0, 0, TimeSpan.Zero));
        using var app = new TestApp(clock: clock);
        var random = new Random(20261130);
        // Three services in West Yorkshire, one elsewhere in the region, one in another region.
        (string, string, int)[] services = [("INF01", "QWO", 9), ("INF02", "QWO", 3), ("INF03", "QWO", 2), ("INF04", "QF7", 4), ("INF05", "QOP", 6)];
        var files = new Dictionary<string, string>();
        foreach (var (provider, icb, size) in services)
        {
            await app.RegisterProviderAsync(provider, icb);
            await AsPublishedTests.SubmitAsync(app, provider, files[provider] = Dataset.ReturnFile(random, provider, size));
        }
        using var admin = app.Admin();
        using var attacker = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO", name: "attacker"));
        using var truth = app.ClientWithKey(await app.IssueKeyAsync("national", unsuppressed: true, name: "truth"));
        await CutAsync(admin, "before");

        // Two small services correct their March returns: most rows as they were, some changed.
        clock.Now = clock.Now.AddDays(5);
        foreach (var provider in Corrected)
            await AsPublishedTests.SubmitAsync(app, provider, Correct(files[provider]));
        await CutAsync(admin, "after");
        var revisions = await attacker.GetFromJsonAsync<JsonElement>("/api/v1/publications/after/revisions?against=before");
        Assert.True(revisions.GetProperty("summary").GetProperty("figures_changed").GetInt32() > 100);
        Assert.Equal(Corrected, revisions.GetProperty("reasons").GetProperty("returns").EnumerateArray()
            .Select(r => r.GetProperty("provider_code").GetString()).Order());

        // Everything the attacker can read of both states (current figures are the second), and the truth of each.
        var solver = new IntervalSolver();
        var truths = new Dictionary<Unknown, long>();
        var suppressed = new HashSet<Unknown>();
        var leaks = new List<string>();
        foreach (var (state, asked) in new[] { ("before", "&publication=before"), ("after", "&publication=after"), ("after", "") })
        {
            string Named(string organisation) =>
                Corrected.Contains(organisation) || organisation is "QWO" or "Y63" or "england" ? $"{organisation}@{state}" : organisation;
            Unknown InState(Unknown u) => u with { Organisation = Named(u.Organisation) };
            var read = new List<JsonElement>();
            foreach (var level in Levels)
                foreach (var periodType in PeriodTypes)
                    foreach (var breakdown in AllBreakdowns)
                    {
                        read.AddRange(await InferenceTests.Indicators(attacker, Query(level, periodType, breakdown) + asked));
                        foreach (var row in await InferenceTests.Indicators(truth, Query(level, periodType, breakdown) + "&disclosure=none" + asked))
                            foreach (var (unknown, count) in Counts(row))
                                truths[InState(unknown)] = count ?? 0;
                    }
            leaks.AddRange(read.Where(row => !DerivedFromPublished(row)).Select(row => $"derived from exact counts: {state} {row}"));
            var observations = read.SelectMany(Counts).GroupBy(o => InState(o.Unknown))
                .ToDictionary(g => g.Key, g => g.Select(o => o.Count).Distinct().ToList());
            Observe(solver, observations);
            suppressed.UnionWith(observations.Where(o => o.Value.Contains(null)).Select(o => o.Key));
            if (asked.Length > 0) Relate(solver, ["INF01", "INF02", "INF03", "QWO", "Y63", "england"], [], Named); // once a state
        }
        // The revisions say nothing the two publications do not: each change is a figure of each, as published.
        foreach (var change in revisions.GetProperty("changes").EnumerateArray().Where(c => c.GetProperty("breakdown").GetString() == "none"))
        {
            var (before, after) = (change.GetProperty("before"), change.GetProperty("after"));
            if (before.GetProperty("suppressed").GetBoolean() && after.GetProperty("suppressed").GetBoolean())
                leaks.Add($"hidden in both, yet listed: {change}");
        }
        solver.Solve();
        Assert.True(suppressed.Count(u => truths.GetValueOrDefault(u) is > 0 and < 5) > 100, "the states have many cells of 1 to 4");
        Assert.True(suppressed.Count(u => u.Organisation.EndsWith("@after", StringComparison.Ordinal)) > 100, "the second state is read");

        var pinned = suppressed.Where(u => solver[u] is var (low, high) && low == high).ToList();
        Assert.All(pinned, u => Assert.Equal(truths.GetValueOrDefault(u), solver[u].Low)); // the solver is sound
        leaks.AddRange(pinned.Select(u => $"pinned: {u} = {solver[u].Low}"));
        var kinds = leaks.GroupBy(l => l[..l.IndexOf(':')]).Select(g => $"{g.Key}: {g.Count()}");
        Assert.True(leaks.Count == 0, $"{leaks.Count} leaks ({string.Join(", ", kinds)}):\n"
            + string.Join("\n", leaks.GroupBy(l => l.Split(' ')[1]).SelectMany(g => g.Take(5)).Take(40)));
    }

    /// <summary>A correction: March's rows as they were, but for two whose ethnicity and first contact were wrong.</summary>
    private static string Correct(string file)
    {
        var lines = file.TrimEnd('\n').Split('\n').ToList();
        var march = lines.Select((line, i) => (line, i)).Where(l => l.line.Contains(",2025-03-", StringComparison.Ordinal)).Take(2).ToList();
        foreach (var (line, i) in march)
        {
            var cells = line.Split(',');
            cells[4] = cells[4] == "A" ? "H" : "A"; // ethnicity
            Array.Fill(cells, "", 8, 6); // no first contact, so nothing after it
            lines[i] = string.Join(",", cells);
        }
        return string.Join("\n", lines) + "\n";
    }

    private static async Task CutAsync(HttpClient admin, string name)
    {
        await Expect.Status(await admin.PostAsJsonAsync("/api/v1/publications", new { name, month = "2025-03" }), HttpStatusCode.Accepted);
        await AsPublishedTests.CutAsync(admin, name);
    }
}
