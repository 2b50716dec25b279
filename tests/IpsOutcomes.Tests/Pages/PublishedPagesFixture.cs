using System.Net.Http.Json;
using Hangfire;
using IpsOutcomes.Tests.Publications;
using Microsoft.Extensions.DependencyInjection;
using static IpsOutcomes.Tests.Returns.ReturnKit;

namespace IpsOutcomes.Tests.Pages;

/// <summary>
/// The commissioner's fixture, published: March 2025's provisional publication cut on 20 April and signed off by West Yorkshire on
/// 24 April; then PG101 corrects its March return (a larger share into work) and the final publication is cut on 20 May. Read on
/// 2 June 2025.
/// </summary>
public sealed class PublishedPagesFixture : CommissionerPagesFixture
{
    public static readonly DateTimeOffset ReadOn = new(2025, 6, 2, 9, 0, 0, TimeSpan.Zero);

    protected override async Task SeedAsync()
    {
        await base.SeedAsync();
        var jobs = App.Services.GetRequiredService<IRecurringJobManager>();
        using var national = App.ClientWithKey(NationalKey);

        Clock.Now = new DateTimeOffset(2025, 4, 20, 7, 5, 0, TimeSpan.Zero);
        jobs.Trigger("publications");
        await AsPublishedTests.CutAsync(national, "2025-03-provisional");
        await AsPublishedTests.AllCutAsync(national);

        Clock.Now = new DateTimeOffset(2025, 4, 24, 15, 0, 0, TimeSpan.Zero);
        using (var lead = App.ClientWithKey(await App.IssueKeyAsync("icb", IcbCode, name: "West Yorkshire director of performance", signOff: true)))
            (await lead.PostAsJsonAsync("/api/v1/publications/2025-03-provisional/sign-off",
                new { comment = "Agreed at the ICB board on 24 April 2025." })).EnsureSuccessStatusCode();

        Clock.Now = new DateTimeOffset(2025, 5, 6, 10, 0, 0, TimeSpan.Zero);
        using (var pg101 = App.ClientWithKey(await App.IssueKeyAsync("provider", "PG101")))
            await SubmitAsync(pg101, "PG101", "2025-03", ReturnFile("PG101", 2));

        Clock.Now = new DateTimeOffset(2025, 5, 20, 7, 5, 0, TimeSpan.Zero);
        jobs.Trigger("publications");
        await AsPublishedTests.CutAsync(national, "2025-03-final");
        await AsPublishedTests.AllCutAsync(national);
        Clock.Now = ReadOn;
    }
}
