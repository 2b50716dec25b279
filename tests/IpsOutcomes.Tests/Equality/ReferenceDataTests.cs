using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IpsOutcomes.Tests.Returns;

namespace IpsOutcomes.Tests.Equality;

public class ReferenceDataTests
{
    [Fact]
    public async Task PopulationUploadsAreCheckedRowByRowAndReplaceTheFiguresTheyCover()
    {
        using var app = new TestApp();
        await app.RegisterProviderAsync("REF01", "QWO");
        await app.RegisterProviderAsync("REF02", "QF7");
        using var icb = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO", name: "QWO loader"));
        async Task<HttpResponseMessage> Load(HttpClient client, string csv) =>
            await client.PostAsync("/api/v1/reference/populations", new StringContent(csv, Encoding.UTF8, "text/csv"));

        var rejected = await Expect.Problem(await Load(icb, string.Join("\n",
                "organisation_code,financial_year,group,count",
                "QWO,2024-25,white,600",
                "QF7,2024-25,white,600",      // another ICB
                "QWO,2024/25,asian,10",      // year format
                "QWO,2024-25,purple,10",     // group
                "QWO,2024-25,black,-3",      // count
                "QWO,2024-25,white,1",       // duplicate
                "REF01,2024-25,A,10",
                "REF01,2024-25,white,10")),  // categories and broad groups mixed
            (HttpStatusCode)422, "urn:ipsoutcomes:problem:reference-data-rejected");
        var codes = rejected.GetProperty("findings").EnumerateArray().Select(f => $"{f.GetProperty("code").GetString()}@{f.GetProperty("line")}").ToList();
        Assert.Equal(["D001@3", "D002@4", "D003@5", "D004@6", "D005@7", "D006@"], codes);
        Assert.Equal(0, ReturnKit.Scalar(app, "SELECT COUNT(*) FROM reference_populations"));

        await Expect.Status(await Load(icb, "organisation_code,financial_year,group,count\nQWO,2024-25,white,600\nQWO,2024-25,asian,200\nREF01,2024-25,A,50\n"), HttpStatusCode.OK);
        await Expect.Status(await Load(icb, "Organisation Code,Financial Year,Ethnic Group,People\nQWO,2024-25,white,650\n"), HttpStatusCode.OK);
        Assert.Equal(650, ReturnKit.Scalar(app, "SELECT SUM(people) FROM reference_populations WHERE organisation_code = 'QWO'"));
        Assert.Equal(50, ReturnKit.Scalar(app, "SELECT SUM(people) FROM reference_populations WHERE organisation_code = 'REF01'"));
        Assert.Equal(2, ReturnKit.Scalar(app, "SELECT COUNT(*) FROM audit_log WHERE action = 'reference.populations_loaded' AND key_name = 'QWO loader'"));

        using var national = app.ClientWithKey(await app.IssueKeyAsync("national"));
        await Expect.Problem(await Load(national, "organisation_code,financial_year,group,count\nQWO,2024-25,white,1\n"), HttpStatusCode.Forbidden,
            "urn:ipsoutcomes:problem:forbidden");
        using var otherIcb = app.ClientWithKey(await app.IssueKeyAsync("icb", "QF7"));
        Assert.Empty((await otherIcb.GetFromJsonAsync<JsonElement>("/api/v1/reference/populations")).EnumerateArray());
    }

    [Fact]
    public async Task AccessTargetsFeedAccessedAgainstTarget()
    {
        using var app = new TestApp();
        var (provider, client) = await ReturnKit.ProviderAsync(app);
        await ReturnKit.SubmitAsync(client, provider, "2025-03", ReturnKit.File(Enumerable.Range(1, 30).Select(i => ReturnKit.Row($"R{i}",
            ("referral_date", "2024-05-01"), ("first_contact_date", i <= 20 ? "2024-05-08" : "2025-03-10"))).ToArray()));
        using var icb = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO", unsuppressed: true));
        var load = await icb.PostAsync("/api/v1/reference/access-targets", new StringContent("icb_code,financial_year,target\nQWO,2024-25,60\n", Encoding.UTF8, "text/csv"));
        await Expect.Status(load, HttpStatusCode.OK);
        var rows = await icb.GetFromJsonAsync<JsonElement>("/api/v1/indicators?level=icb&code=QWO&period_type=month&from=2025-03&to=2025-04&indicators=accessed_vs_target_pct&disclosure=none");
        var march = rows.EnumerateArray().Single();                 // April is 2025-26: no target, no row
        Assert.Equal(30, march.GetProperty("numerator").GetInt64());  // all 30 first seen in FY 2024-25 by March
        Assert.Equal(60, march.GetProperty("denominator").GetInt64());
        Assert.Equal(50, march.GetProperty("value").GetDouble());
        var refused = await Expect.Problem(await icb.PostAsync("/api/v1/reference/access-targets",
            new StringContent("icb_code,financial_year,target\nQF7,2024-25,60\nQWO,2024-25,0\n", Encoding.UTF8, "text/csv")),
            (HttpStatusCode)422, "urn:ipsoutcomes:problem:reference-data-rejected");
        Assert.Equal(["D001", "D004"], refused.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()!));
    }
}
