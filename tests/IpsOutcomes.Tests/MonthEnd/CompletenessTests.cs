using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hangfire;
using Hangfire.Storage;
using IpsOutcomes.MonthEnd;
using Microsoft.Extensions.DependencyInjection;
using static IpsOutcomes.Tests.Returns.ReturnKit;

namespace IpsOutcomes.Tests.MonthEnd;

public class CompletenessTests
{
    /// <summary>March 2025's returns, due on 15 April: one on time, one late, one rejected only, one missing.</summary>
    [Fact]
    public async Task EachProviderIsOnTimeLateRejectedOnlyOrMissingAgainstTheDueDate()
    {
        var clock = new TestClock(new DateTimeOffset(2025, 4, 15, 22, 0, 0, TimeSpan.Zero)); // the due day itself
        using var app = new TestApp(clock: clock);
        foreach (var code in new[] { "CMA01", "CMB01", "CMC01", "CMD01" }) await app.RegisterProviderAsync(code, "QWO");
        await app.RegisterProviderAsync("CMNEW", "QWO", activeFrom: "2025-04-01"); // not expected for March
        HttpClient Key(string code) => app.ClientWithKey(app.IssueKeyAsync("provider", code).GetAwaiter().GetResult());

        var rows = Enumerable.Range(1, 10).Select(i => Row($"R{i}", ("ethnic_category", i <= 2 ? "" : "A"))).ToArray();
        Assert.Equal("accepted", (await SubmitAsync(Key("CMA01"), "CMA01", "2025-03", File(rows))).GetProperty("status").GetString());
        clock.Now = new DateTimeOffset(2025, 4, 16, 0, 30, 0, TimeSpan.Zero);            // just past the due day
        await SubmitAsync(Key("CMB01"), "CMB01", "2025-03", File(Row("R1")));
        await SubmitAsync(Key("CMC01"), "CMC01", "2025-03", File(Row("R1", ("gender", "7"))));

        using var icb = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO"));
        var report = await icb.GetFromJsonAsync<JsonElement>("/api/v1/reports/completeness?month=2025-03");
        var statuses = report.GetProperty("providers").EnumerateArray().ToDictionary(p => p.GetProperty("provider_code").GetString()!, p => p);
        Assert.Equal(["CMA01", "CMB01", "CMC01", "CMD01"], statuses.Keys.Order());
        Assert.Equal("on_time", statuses["CMA01"].GetProperty("status").GetString());
        Assert.Equal("late", statuses["CMB01"].GetProperty("status").GetString());
        Assert.Equal("rejected_only", statuses["CMC01"].GetProperty("status").GetString());
        Assert.Equal("missing", statuses["CMD01"].GetProperty("status").GetString());
        Assert.Equal("2025-04-15", statuses["CMD01"].GetProperty("due_date").GetString());
        Assert.True(statuses["CMD01"].GetProperty("past_due").GetBoolean());
        // Rows are people: an ICB key without the unsuppressed permission sees their counts under the publication rules.
        Assert.Equal(10, statuses["CMA01"].GetProperty("row_count").GetInt32());
        Assert.Equal(JsonValueKind.Null, statuses["CMA01"].GetProperty("warning_count").ValueKind);       // 2: under 5
        Assert.Equal(100, statuses["CMA01"].GetProperty("ethnicity_recorded_pct").GetDouble()); // 8 of 10, published as 10 of 10

        var rate = report.GetProperty("rates")[0];
        Assert.Equal(4, rate.GetProperty("expected").GetInt32());
        Assert.Equal(2, rate.GetProperty("actual").GetInt32());
        Assert.Equal(1, rate.GetProperty("on_time").GetInt32());
        Assert.Equal(50, rate.GetProperty("actual_pct").GetDouble());
        Assert.Equal(25, rate.GetProperty("on_time_pct").GetDouble());

        var series = await icb.GetFromJsonAsync<JsonElement>("/api/v1/reports/completeness?from=2025-02&to=2025-03");
        Assert.Equal(2, series.GetProperty("rates").GetArrayLength());
        Assert.Equal(8, series.GetProperty("overall").GetProperty("expected").GetInt32());
        var csv = await icb.GetStringAsync("/api/v1/reports/completeness?month=2025-03&format=csv&view=rates");
        Assert.Contains("Period,Expected,Actual,OnTime", csv.Replace("period,expected,actual,on_time", "Period,Expected,Actual,OnTime"), StringComparison.OrdinalIgnoreCase);

        using var other = app.ClientWithKey(await app.IssueKeyAsync("icb", "QF7"));
        await Expect.Problem(await other.GetAsync("/api/v1/reports/completeness?icb=QWO&month=2025-03"), HttpStatusCode.Forbidden, "urn:ipsoutcomes:problem:forbidden");
        await Expect.Problem(await other.GetAsync("/api/v1/reports/completeness?icb=&month=2025-03"), HttpStatusCode.Forbidden, "urn:ipsoutcomes:problem:forbidden");
    }

    [Fact]
    public async Task TheOverdueJobRecordsEachOverdueReturnOnceAndRetentionDeletesOnlyWhatItShould()
    {
        var clock = new TestClock(new DateTimeOffset(2025, 4, 10, 9, 0, 0, TimeSpan.Zero));
        using var app = new TestApp(clock: clock, settings: new() { ["Retention:Days"] = "30" });
        var (late, lateClient) = await ProviderAsync(app);
        var (sent, sentClient) = await ProviderAsync(app);
        var rejected = await SubmitAsync(lateClient, late, "2025-03", File(Row("R1", ("gender", "7"))));
        var accepted = await SubmitAsync(sentClient, sent, "2025-03", File(Row("R1", ("ethnic_category", "")), Row("R2")));
        var overdue = app.Services.GetRequiredService<OverdueReturns>();

        await overdue.RecordAsync(CancellationToken.None); // March is not due until 15 April (January and February are overdue already)
        Assert.Equal(0, Scalar(app, "SELECT COUNT(*) FROM overdue_returns WHERE provider_code IN (@a, @b) AND period = '2025-03'", ("@a", late), ("@b", sent)));
        Assert.Equal(2, Scalar(app, "SELECT COUNT(*) FROM overdue_returns WHERE provider_code = @a", ("@a", late)));
        clock.Now = new DateTimeOffset(2025, 4, 16, 6, 0, 0, TimeSpan.Zero);
        await overdue.RecordAsync(CancellationToken.None);
        await overdue.RecordAsync(CancellationToken.None); // run twice: nothing more
        Assert.Equal(1, Scalar(app, "SELECT COUNT(*) FROM overdue_returns WHERE provider_code = @a AND period = '2025-03'", ("@a", late)));
        Assert.Equal(0, Scalar(app, "SELECT COUNT(*) FROM overdue_returns WHERE provider_code = @b AND period = '2025-03'", ("@b", sent)));
        Assert.Equal(3, Scalar(app, "SELECT COUNT(*) FROM overdue_returns WHERE provider_code = @a", ("@a", late)));

        // The daily jobs are registered, and visible in the dashboard.
        using (var connection = app.Services.GetRequiredService<JobStorage>().GetConnection())
            Assert.Equal(["overdue-returns", "publications", "quality-mark", "retention"], connection.GetRecurringJobs().Select(j => j.Id).Order());

        var retention = app.Services.GetRequiredService<Retention>();
        clock.Now = clock.Now.AddDays(20);
        await retention.PruneAsync(CancellationToken.None); // not yet 30 days old
        Assert.Equal(1, Scalar(app, "SELECT COUNT(*) FROM findings WHERE submission_id = @id", ("@id", rejected.GetProperty("id").GetInt64())));
        clock.Now = clock.Now.AddDays(60);
        await retention.PruneAsync(CancellationToken.None);
        Assert.Equal(0, Scalar(app, "SELECT COUNT(*) FROM findings WHERE submission_id = @id", ("@id", rejected.GetProperty("id").GetInt64())));
        Assert.Equal(1, Scalar(app, "SELECT COUNT(*) FROM findings WHERE submission_id = @id", ("@id", accepted.GetProperty("id").GetInt64())));
    }
}
