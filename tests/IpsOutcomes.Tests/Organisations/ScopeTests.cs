using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace IpsOutcomes.Tests.Organisations;

/// <summary>Two ICBs (West Yorkshire QWO, South Yorkshire QF7), three providers, a key of every role.</summary>
public class ScopeTests
{
    private static async Task<string[]> ProviderCodes(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/v1/providers")).EnumerateArray()
            .Select(p => p.GetProperty("code").GetString()!).Order().ToArray();

    [Fact]
    public async Task EachKeySeesOnlyWhatItsScopeReaches()
    {
        using var app = new TestApp();
        await app.RegisterProviderAsync("WYA01", "QWO");
        await app.RegisterProviderAsync("WYB01", "QWO");
        await app.RegisterProviderAsync("SYA01", "QF7");
        using var providerA = app.ClientWithKey(await app.IssueKeyAsync("provider", "WYA01"));
        using var westYorkshire = app.ClientWithKey(await app.IssueKeyAsync("icb", "QWO"));
        using var southYorkshire = app.ClientWithKey(await app.IssueKeyAsync("icb", "QF7"));
        using var national = app.ClientWithKey(await app.IssueKeyAsync("national"));

        Assert.Equal(["WYA01"], await ProviderCodes(providerA));
        Assert.Equal(["WYA01", "WYB01"], await ProviderCodes(westYorkshire));
        Assert.Equal(["SYA01"], await ProviderCodes(southYorkshire));
        Assert.Equal(["SYA01", "WYA01", "WYB01"], await ProviderCodes(national));
        // Asking for another ICB's providers gives nothing, not their data.
        Assert.Empty((await westYorkshire.GetFromJsonAsync<JsonElement>("/api/v1/providers?icb=QF7")).EnumerateArray());

        await Expect.Status(await providerA.GetAsync("/api/v1/providers/WYA01"), HttpStatusCode.OK);
        await Expect.Problem(await providerA.GetAsync("/api/v1/providers/WYB01"), HttpStatusCode.Forbidden, "urn:ipsoutcomes:problem:forbidden");
        await Expect.Status(await westYorkshire.GetAsync("/api/v1/providers/WYB01"), HttpStatusCode.OK);
        await Expect.Problem(await westYorkshire.GetAsync("/api/v1/providers/SYA01"), HttpStatusCode.Forbidden, "urn:ipsoutcomes:problem:forbidden");
        await Expect.Problem(await southYorkshire.GetAsync("/api/v1/providers/WYA01"), HttpStatusCode.Forbidden, "urn:ipsoutcomes:problem:forbidden");
        await Expect.Status(await national.GetAsync("/api/v1/providers/SYA01"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task OnlyAdminsRegisterAndChangeProviders()
    {
        using var app = new TestApp();
        await app.RegisterProviderAsync("ADM01", "QWO");
        var change = new { name = "Renamed", icb_code = "QF7", active_from = "2020-04-01" };
        foreach (var secret in new[] { await app.IssueKeyAsync("national"), await app.IssueKeyAsync("icb", "QWO"), await app.IssueKeyAsync("provider", "ADM01") })
        {
            using var client = app.ClientWithKey(secret);
            await Expect.Problem(await client.PostAsJsonAsync("/api/v1/providers", new { code = "ADM02", name = "x", icb_code = "QWO", active_from = "2020-04-01" }),
                HttpStatusCode.Forbidden, "urn:ipsoutcomes:problem:forbidden");
            await Expect.Problem(await client.PutAsJsonAsync("/api/v1/providers/ADM01", change), HttpStatusCode.Forbidden, "urn:ipsoutcomes:problem:forbidden");
        }

        using var admin = app.Admin();
        var updated = await admin.PutAsJsonAsync("/api/v1/providers/ADM01", change);
        await Expect.Status(updated, HttpStatusCode.OK);
        Assert.Equal("QF7", (await admin.GetFromJsonAsync<JsonElement>("/api/v1/providers/ADM01")).GetProperty("icb_code").GetString());
        await Expect.Problem(await admin.PostAsJsonAsync("/api/v1/providers", new { code = "ADM01", name = "again", icb_code = "QWO", active_from = "2020-04-01" }),
            HttpStatusCode.Conflict, "urn:ipsoutcomes:problem:conflict");
        var invalid = await Expect.Problem(await admin.PostAsJsonAsync("/api/v1/providers",
            new { code = "a b", name = "", icb_code = "ZZZ", active_from = "2020-04-01", active_to = "2019-01-01" }),
                HttpStatusCode.BadRequest, "urn:ipsoutcomes:problem:validation");
        foreach (var field in new[] { "code", "name", "icb_code", "active_to" })
            Assert.True(invalid.GetProperty("errors").TryGetProperty(field, out _), field);
    }

    [Fact]
    public async Task AnIcbMergerIsADataChangeThatMovesProviders()
    {
        using var app = new TestApp();
        await app.RegisterProviderAsync("MRG01", "QWO");
        await app.RegisterProviderAsync("MRG02", "QF7");
        using var admin = app.Admin();
        var merged = await admin.PostAsJsonAsync("/api/v1/icbs/mergers", new
        {
            code = "QYY",
            gss_code = "E54000099",
            name = "NHS Yorkshire Integrated Care Board",
            region_code = "Y63",
            effective_from = "2026-04-01",
            predecessors = new[] { "QWO", "QF7" },
        });
        await Expect.Status(merged, HttpStatusCode.Created);

        var west = await admin.GetFromJsonAsync<JsonElement>("/api/v1/icbs/QWO");
        Assert.Equal("2026-03-31", west.GetProperty("effective_to").GetString());
        Assert.Equal("QYY", west.GetProperty("successor_code").GetString());
        Assert.Equal("QYY", (await admin.GetFromJsonAsync<JsonElement>("/api/v1/providers/MRG02")).GetProperty("icb_code").GetString());
        Assert.Equal(43, (await admin.GetFromJsonAsync<JsonElement>("/api/v1/icbs")).GetArrayLength());

        using var newIcb = app.ClientWithKey(await app.IssueKeyAsync("icb", "QYY"));
        Assert.Equal(2, (await newIcb.GetFromJsonAsync<JsonElement>("/api/v1/providers")).GetArrayLength());
        await Expect.Problem(await admin.PostAsJsonAsync("/api/v1/providers", new { code = "MRG03", name = "late", icb_code = "QWO", active_from = "2026-05-01" }),
            HttpStatusCode.BadRequest, "urn:ipsoutcomes:problem:validation");
    }

    [Fact]
    public async Task ReferenceDataIsServed()
    {
        using var app = new TestApp();
        using var national = app.ClientWithKey(await app.IssueKeyAsync("national"));
        var categories = await national.GetFromJsonAsync<JsonElement>("/api/v1/reference/ethnic-categories");
        Assert.Equal(18, categories.GetArrayLength());
        Assert.Equal("white", categories[0].GetProperty("broad_group").GetString());
        Assert.Equal("99", categories[17].GetProperty("code").GetString());
        Assert.Equal(7, (await national.GetFromJsonAsync<JsonElement>("/api/v1/regions")).GetArrayLength());
        await Expect.Problem(await national.GetAsync("/api/v1/icbs/NOPE"), HttpStatusCode.NotFound, "urn:ipsoutcomes:problem:not-found");
    }
}
