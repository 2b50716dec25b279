using System.Globalization;
using static IpsOutcomes.Tests.Returns.ReturnKit;

namespace IpsOutcomes.Tests.Pages;

/// <summary>
/// The page fixture with two years of work in West Yorkshire, read on 2 May 2025: three IPS services, each with a March 2025 return
/// holding referrals from April 2023, a share of them into work, in every broad ethnic group; one service in
/// Greater Manchester; a national key. Known, so that the charts' marks can be counted against it.
/// </summary>
public class CommissionerPagesFixture : PagesFixture
{
    public static readonly string[] Services = ["PG101", "PG102", "PG103"];
    public const string OtherIcbService = "PG201";
    public string NationalKey { get; private set; } = "";

    private static readonly string[] Categories = ["A", "A", "A", "B", "H", "J", "M", "N", "D", "S", "Z", "99"];

    protected override async Task SeedAsync()
    {
        for (var s = 0; s < Services.Length; s++) await SendAsync(Services[s], IcbCode, s);
        await SendAsync(OtherIcbService, "QOP", 3);
        NationalKey = await App.IssueKeyAsync("national", null, name: "NHS England analyst");

        // West Yorkshire's caseload population and access target, so that its representation ratios and its access
        // against target can be shown.
        using var icb = App.ClientWithKey(IcbKey);
        (await icb.PostAsync("/api/v1/reference/populations", new StringContent(
            "organisation_code,financial_year,group,count\nQWO,2024-25,white,1200\nQWO,2024-25,asian,260\nQWO,2024-25,black,120\nQWO,2024-25,mixed,90\nQWO,2024-25,other,60\n",
            System.Text.Encoding.UTF8, "text/csv"))).EnsureSuccessStatusCode();
        // Fidelity reviews: PG101 twice externally (fair, then good) and once by itself; PG102 fair; PG103 exemplary.
        string Review(string code, string date, string kind, int score, string? low = null) => $"{code},{date},{kind},IPS Grow," +
            string.Join(",", IpsOutcomes.Fidelity.FidelityScale.Items.Select(i => i.Code == low ? 2 : score));
        var header = "provider_code,review_date,kind,reviewer," + string.Join(",", IpsOutcomes.Fidelity.FidelityScale.Items.Select(i => i.Code));
        var reviews = string.Join("\n", header, Review("PG101", "2024-06-12", "external", 3), Review("PG101", "2024-11-20", "self", 4, "V6"),
            Review("PG101", "2025-02-10", "external", 4, "V7"), Review("PG102", "2025-01-15", "external", 4, "O1").Replace(",4,4,4,4,4,4,4,4,4,4,4,4,4,4", ",3,3,3,3,3,3,3,3,3,3,3,3,3,3"),
            Review("PG103", "2025-03-01", "external", 5)) + "\n";
        (await icb.PostAsync("/api/v1/fidelity-reviews", new StringContent(reviews, System.Text.Encoding.UTF8, "text/csv"))).EnsureSuccessStatusCode();
        (await icb.PostAsync("/api/v1/reference/access-targets", new StringContent("icb_code,financial_year,target\nQWO,2024-25,1000\n",
            System.Text.Encoding.UTF8, "text/csv"))).EnsureSuccessStatusCode();
        // The returns were sent on 10 April, before they were due; commissioners read them in May, once March's were due.
        Clock.Now = OpensOnMarch;
    }

    /// <summary>A day when March 2025 is the latest month whose returns were due (by 15 April): the pages open on it.</summary>
    public static readonly DateTimeOffset OpensOnMarch = new(2025, 5, 2, 9, 0, 0, TimeSpan.Zero);

    private async Task SendAsync(string code, string icb, int service)
    {
        await App.RegisterProviderAsync(code, icb, "2023-04-01");
        using var client = App.ClientWithKey(await App.IssueKeyAsync("provider", code));
        await SubmitAsync(client, code, "2025-03", ReturnFile(code, service));
    }

    /// <summary>One return with 24 months of referrals: more each month, and a service-specific share into work.</summary>
    protected static string ReturnFile(string code, int service)
    {
        var rows = new List<string>();
        var start = new DateOnly(2023, 4, 3);
        for (var month = 0; month < 24; month++)
        {
            var count = 10 + month / 2 + (month % 3) * 2 + service * 3;
            for (var i = 0; i < count; i++)
            {
                var referral = start.AddMonths(month).AddDays(i % 20);
                var contact = referral.AddDays(7 + i % 10);
                var job = contact.AddDays(30 + i % 40);
                var employed = (i * 7 + month) % 10 < 3 + service && job <= new DateOnly(2025, 3, 31);
                rows.Add(Row($"{code}-{month:00}-{i:000}", ("client_id", $"{code}-C{month:00}{i:000}"), ("referral_date", Day(referral)),
                    ("first_contact_date", contact <= new DateOnly(2025, 3, 31) ? Day(contact) : ""),
                    ("ethnic_category", Categories[(i + month + service) % Categories.Length]),
                    ("job_1_start_date", employed ? Day(job) : ""), ("job_1_type", employed ? "competitive" : "")));
            }
        }
        return File([.. rows]);
    }

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
