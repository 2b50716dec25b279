using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using static IpsOutcomes.Tests.Returns.ReturnKit;

namespace IpsOutcomes.Tests.Reliability;

/// <summary>
/// Reading is not writing (issue 27): the referral snapshot loads one consistent state of the data while a writer holds
/// SQLite's write lock, instead of waiting for it (a serializable transaction began as BEGIN IMMEDIATE, which waits); and a
/// request that resolves several figures (a page) draws them all from one data version.
/// </summary>
public sealed class SnapshotReadTests
{
    [Fact]
    public async Task TheSnapshotLoadsWhileAWriterHoldsTheLock()
    {
        using var app = new TestApp();
        await app.RegisterProviderAsync("SNP01", "QWO");
        using (var client = app.ClientWithKey(await app.IssueKeyAsync("provider", "SNP01")))
            await SubmitAsync(client, "SNP01", "2025-03", File(Row("R1"), Row("R2"), Row("R3")));

        await using var writer = new SqliteConnection($"Data Source={Path.Combine(app.DataFolder, "ipsoutcomes.db")};Pooling=False");
        writer.Open();
        using var held = writer.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: the write lock, held until disposed
        // A new snapshot, so that it loads everything.
        using var snapshot = new ReferralSnapshot(app.Services.GetRequiredService<Database>(),
            app.Services.GetRequiredService<DataVersion>(), NullLogger<ReferralSnapshot>.Instance);
        var loading = snapshot.GetAsync(CancellationToken.None);
        var finished = await Task.WhenAny(loading, Task.Delay(TimeSpan.FromSeconds(20)));
        Assert.True(finished == loading, "the snapshot waited for the writer");
        Assert.Equal(3, (await loading).Providers["SNP01"].Count);
    }

    [Fact]
    public async Task ARequestPinnedToADataVersionKeepsItWhileReturnsAreAccepted()
    {
        using var app = new TestApp();
        await app.RegisterProviderAsync("SNP01", "QWO");
        using var client = app.ClientWithKey(await app.IssueKeyAsync("provider", "SNP01"));
        await SubmitAsync(client, "SNP01", "2025-03", File(Row("R1"), Row("R2")));
        var service = app.Services.GetRequiredService<IndicatorService>();
        var accessor = app.Services.GetRequiredService<Microsoft.AspNetCore.Http.IHttpContextAccessor>();
        var request = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        accessor.HttpContext = request; // this test is the request
        await service.PinAsync(request, CancellationToken.None);
        var pinned = await service.DataVersionAsync(CancellationToken.None);

        // A return is accepted while the request is answered: the request still sees the version it began with.
        accessor.HttpContext = null;
        await SubmitAsync(client, "SNP01", "2025-03", File(Row("R1"), Row("R2"), Row("R3")));
        var current = await service.DataVersionAsync(CancellationToken.None);
        Assert.True(current > pinned);
        accessor.HttpContext = request;
        Assert.Equal(pinned, await service.DataVersionAsync(CancellationToken.None));
        var organisations = (await service.OrganisationsAsync(OrganisationLevel.Provider, "SNP01", null, CancellationToken.None))!;
        var result = await service.ComputeAsync(new IndicatorQuery(OrganisationLevel.Provider, "SNP01", null, PeriodType.Month,
            Period.MonthIndex(new DateOnly(2025, 3, 1)), Period.MonthIndex(new DateOnly(2025, 3, 1)), ["referrals"], Breakdown.None, Exact: true),
            organisations, CancellationToken.None);
        Assert.Equal(pinned, result.Version);
        Assert.Equal(2, result.Rows.Single(r => r.IndicatorId == "referrals").Value);
    }
}
