using System.Text.RegularExpressions;
using IpsOutcomes.Tests.Publications;

namespace IpsOutcomes.Tests.Indicators;

/// <summary>
/// A provider's tallies are kept until its referrals change, and an organisation's figures are the sum of its providers' (issue 27).
/// After a correction only the corrected service is counted again: every level's figures must still be those of a service that
/// only ever saw the corrected return.
/// </summary>
public sealed partial class KeptTalliesTests
{
    private static readonly string[] Asked =
    [
        "/api/v1/indicators?level=england&period_type=rolling12&from=2024-06&to=2025-03&breakdown=ethnic_group&disclosure=none",
        "/api/v1/indicators?level=icb&code=QWO&period_type=month&from=2024-04&to=2025-03&disclosure=none",
        "/api/v1/indicators?level=region&period_type=quarter&from=2024-04&to=2025-03&breakdown=gender",
        "/api/v1/indicators?level=provider&within=QWO&period_type=fytd&month=2025-03&breakdown=ethnic_category&format=csv",
    ];

    [Fact]
    public async Task FiguresAfterACorrectionEqualFiguresWorkedOutAfresh()
    {
        var random = new Random(27);
        var (first, second, other) = (AsPublishedTests.ReturnFile(random, "TAL01", 12), AsPublishedTests.ReturnFile(random, "TAL02", 6),
            AsPublishedTests.ReturnFile(random, "TAL03", 8));
        var corrected = AsPublishedTests.ReturnFile(random, "TAL02", 7);

        // One service keeps the tallies of the first state, then sees the correction.
        using var kept = await StartAsync(first, second, other);
        var before = await ReadAsync(kept);
        await AsPublishedTests.SubmitAsync(kept, "TAL02", corrected);
        var after = await ReadAsync(kept);

        using var fresh = await StartAsync(first, corrected, other);
        var expected = await ReadAsync(fresh);
        for (var i = 0; i < Asked.Length; i++)
        {
            Assert.NotEqual(before[i], after[i]); // the correction changed every answer
            Assert.Equal(expected[i], after[i]);
        }
    }

    private static async Task<TestApp> StartAsync(params string[] files)
    {
        var app = new TestApp(clock: new TestClock(new DateTimeOffset(2025, 4, 14, 9, 0, 0, TimeSpan.Zero)));
        string[] providers = ["TAL01", "TAL02", "TAL03"];
        for (var i = 0; i < providers.Length; i++)
        {
            await app.RegisterProviderAsync(providers[i], i < 2 ? "QWO" : "QF7");
            await AsPublishedTests.SubmitAsync(app, providers[i], files[i]);
        }
        return app;
    }

    /// <summary>Every answer, without the data version (which counts the changes each service saw).</summary>
    private static async Task<List<string>> ReadAsync(TestApp app)
    {
        using var national = app.ClientWithKey(await app.IssueKeyAsync("national", unsuppressed: true));
        var answers = new List<string>();
        foreach (var path in Asked) answers.Add(DataVersion().Replace(await national.GetStringAsync(path), ""));
        return answers;
    }

    [GeneratedRegex("\"data_version\":\\d+,?|,\\d+(?=\r?\n)")]
    private static partial Regex DataVersion();
}
