using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static IpsOutcomes.Tests.Returns.ReturnKit;

namespace IpsOutcomes.Tests.Returns;

/// <summary>
/// One case per rule code, through the real upload and the real job: the finding appears with the right line and
/// column; on an error the submission is rejected and nothing of it is stored.
/// </summary>
public class RuleTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly TestApp app = shared.App;

    public static TheoryData<string, string, int?, string?> Cases() => new()
    {
        { "F001", "", null, null },
        { "F001", Header + "\n,,,,\n", null, null },
        { "F002", File(Row("R1")) + "\"R2,C2,2025-03-03\n" + Row("R3") + "\n", 3, null },
        { "F003", Header.Replace("client_id,", "") + "\n", 1, "client_id" },
        { "F004", Header + ",Referral ID\n" + Row("R1") + ",R1\n", 1, "referral_id" },
        { "F007", Header + ",job_3_start_date\n" + Row("R1") + ",\n", 1, "job_3_start_date" },
        { "R001", File(Row("R1", ("client_id", ""))), 2, "client_id" },
        { "R002", File(Row("R1"), Row("R2", ("referral_date", "2025-02-30"))), 3, "referral_date" },
        { "R003", File(Row("R1", ("first_contact_date", "2025-04-01"))), 2, "first_contact_date" },
        { "R004", File(Row("R1"), Row("R2"), Row("R1", ("client_id", "C9"))), 4, "referral_id" },
        { "R005", File(Row("R1", ("gender", "7"))), 2, "gender" },
        { "R006", File(Row("R1", ("first_contact_date", "2025-03-01"))), 2, "first_contact_date" },
        { "R007", File(Row("R1", ("job_1_start_date", "2025-03-01"), ("job_1_type", "competitive"))), 2, "job_1_start_date" },
        { "R008", File(Row("R1", ("first_contact_date", ""), ("discharge_date", "2025-03-01"))), 2, "discharge_date" },
        { "R009", File(Row("R1", ("job_1_start_date", "2025-03-20"), ("job_1_end_date", "2025-03-15"), ("job_1_type", "competitive"))), 2, "job_1_end_date" },
        { "R010", File(Row("R1", ("age_at_referral", "12"))), 2, "age_at_referral" },
        { "R011", File(Row("R1", ("client_id", "943 476 5919"))), 2, "client_id" },
        { "R012", File(Row("R1", ("first_employer_contact_date", "2025-03-02"))), 2, "first_employer_contact_date" },
        { "R013", File(Row("R1", ("job_1_start_date", "2025-03-20"))), 2, "job_1_type" },
        { "R014", File(Row("R1"), Row("R 2!")), 3, "referral_id" },
    };

    public static TheoryData<string, string, int?, string?> WarningCases() => new()
    {
        { "F005", Header + ",refferal_source\n" + Row("R1") + ",x\n", 1, "refferal_source" },
        { "W001", File(Row("R1", ("ethnic_category", ""))), 2, "ethnic_category" },
        { "W002", File(Row("R1", ("discharge_date", "2025-03-12"), ("job_1_start_date", "2025-03-20"), ("job_1_type", "competitive"))), 2, "job_1_start_date" },
        { "W003", File(Row("R1", ("referral_date", "2025-01-06"), ("first_contact_date", "2025-01-10"), ("discharge_date", "2025-02-20"))), 2, "discharge_date" },
        { "W004", File(Row("R1", ("client_id", "same")), Row("R2", ("client_id", "same"), ("referral_date", "2025-03-05"))), 3, "client_id" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task AnErrorRejectsTheReturnWithAFindingAndStoresNothing(string code, string csv, int? line, string? column)
    {
        var (provider, client) = await ProviderAsync(app);
        var submission = await SubmitAsync(client, provider, "2025-03", csv);

        Assert.Equal("rejected", submission.GetProperty("status").GetString());
        var findings = await FindingsAsync(client, submission.GetProperty("id").GetInt64());
        var finding = Assert.Single(findings, f => f.GetProperty("code").GetString() == code);
        Assert.Equal("error", finding.GetProperty("severity").GetString());
        Assert.Equal(line, finding.GetProperty("line").ValueKind == JsonValueKind.Null ? null : finding.GetProperty("line").GetInt32());
        Assert.Equal(column, finding.GetProperty("column").GetString());
        Assert.False(string.IsNullOrWhiteSpace(finding.GetProperty("message").GetString()));
        Assert.Equal(0, Referrals(app, provider));
    }

    [Theory]
    [MemberData(nameof(WarningCases))]
    public async Task AWarningIsKeptWithAnAcceptedReturn(string code, string csv, int? line, string? column)
    {
        var (provider, client) = await ProviderAsync(app);
        var submission = await SubmitAsync(client, provider, "2025-03", csv);

        Assert.Equal("accepted", submission.GetProperty("status").GetString());
        var finding = Assert.Single(await FindingsAsync(client, submission.GetProperty("id").GetInt64()), f => f.GetProperty("code")
            .GetString() == code);
        Assert.Equal("warning", finding.GetProperty("severity").GetString());
        Assert.Equal(line, finding.GetProperty("line").GetInt32());
        Assert.Equal(column, finding.GetProperty("column").GetString());
        Assert.True(Referrals(app, provider) > 0);
    }

    [Fact]
    public async Task AnNhsNumberIsNeverEchoedBack()
    {
        var (provider, client) = await ProviderAsync(app);
        var submission = await SubmitAsync(client, provider, "2025-03", File(Row("R1", ("client_id", "9434765919")), Row("R2", ("age_at_referral", "943-476-5919"))));
        var id = submission.GetProperty("id").GetInt64();
        var json = await client.GetStringAsync($"/api/v1/submissions/{id}/findings");
        var csv = await client.GetStringAsync($"/api/v1/submissions/{id}/findings?format=csv");
        Assert.Equal(2, Regex.Count(json, "R011"));
        foreach (var text in new[] { json, csv })
        {
            Assert.DoesNotContain("9434765919", text);
            Assert.DoesNotContain("943-476-5919", text);
        }
    }

    [Fact]
    public async Task X001FlagsReferralsThatVanishFromTheNextMonth()
    {
        var (provider, client) = await ProviderAsync(app);
        var february = File(
            Row("R1", ("referral_date", "2025-02-03"), ("first_contact_date", "2025-02-10")),
            Row("R2", ("referral_date", "2025-02-04"), ("first_contact_date", "2025-02-11")),
            Row("R3", ("referral_date", "2025-02-05"), ("first_contact_date", "2025-02-12"), ("discharge_date", "2025-02-20")));
        Assert.Equal("accepted", (await SubmitAsync(client, provider, "2025-02", february)).GetProperty("status").GetString());

        // R2 vanishes without a discharge date; R3 was closed in February, so its absence is fine.
        var march = await SubmitAsync(client, provider, "2025-03", File(Row("R1", ("referral_date", "2025-02-03"), ("first_contact_date", "2025-02-10")), Row("R4")));
        Assert.Equal("accepted", march.GetProperty("status").GetString());
        var x001 = Assert.Single(await FindingsAsync(client, march.GetProperty("id").GetInt64()), f => f.GetProperty("code").GetString() == "X001");
        Assert.StartsWith("1 referral(s) open in your 2025-02 return", x001.GetProperty("message").GetString());
    }

    [Fact]
    public async Task X002FlagsAMonthFarFromTheUsualVolume()
    {
        var (provider, client) = await ProviderAsync(app);
        var rows = new List<string>();
        for (var month = 1; month <= 6; month++)
        {
            // Each month's return: the referrals so far (a cumulative caseload file), four new a month.
            for (var i = 0; i < 4; i++)
                rows.Add(Row($"M{month}-{i}", ("referral_date", $"2024-{month + 3:D2}-0{i + 1}"), ("first_contact_date", $"2024-{month + 3:D2}-1{i}")));
            var submission = await SubmitAsync(client, provider, $"2024-{month + 3:D2}", File([.. rows]));
            Assert.Equal("accepted", submission.GetProperty("status").GetString());
            Assert.DoesNotContain(await FindingsAsync(client, submission.GetProperty("id").GetInt64()), f => f.GetProperty("code")
                .GetString() == "X002");
        }
        for (var i = 0; i < 20; i++)
            rows.Add(Row($"OCT-{i}", ("referral_date", "2024-10-01"), ("first_contact_date", "2024-10-08")));
        var october = await SubmitAsync(client, provider, "2024-10", File([.. rows]));
        var x002 = Assert.Single(await FindingsAsync(client, october.GetProperty("id").GetInt64()), f => f.GetProperty("code").GetString() == "X002");
        Assert.Equal("warning", x002.GetProperty("severity").GetString());
        Assert.Equal("20", x002.GetProperty("value").GetString());
    }

    [Fact]
    public async Task F008APeriodThatIsNotAPastOrCurrentMonthIsRefusedAtOnce()
    {
        var (provider, client) = await ProviderAsync(app);
        var next = DateTime.UtcNow.AddMonths(1).ToString("yyyy-MM");
        foreach (var period in new[] { next, "2025-13", "March", "1999-12" })
        {
            var body = await Expect.Problem(await UploadAsync(client, provider, period, File(Row("R1"))), HttpStatusCode.BadRequest,
                "urn:ipsoutcomes:problem:invalid-period");
            Assert.Contains("F008", body.GetProperty("detail").GetString());
        }
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>("/api/v1/submissions")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public void EveryRuleCodeHasATest()
    {
        var tested = Cases().Select(c => (string)c[0]).Concat(WarningCases().Select(c => (string)c[0]))
            .Concat(["F006", "F008", "X001", "X002"]).ToHashSet();
        var untested = IpsOutcomes.Returns.ReturnRules.All.Select(r => r.Code).Except(tested).ToList();
        Assert.True(untested.Count == 0, "No test for " + string.Join(", ", untested));
    }

    [Fact]
    public void EveryRuleCodeSaysSomethingAndNothingElseDoes()
    {
        var texts = typeof(IpsOutcomes.Returns.Says).GetFields().Select(f => (IpsOutcomes.Returns.FindingText)f.GetValue(null)!).ToList();
        var codes = typeof(IpsOutcomes.Returns.RuleCode).GetFields().Select(f => (string)f.GetValue(null)!).ToHashSet();
        Assert.Empty(codes.Except(texts.Select(t => t.Code)));
        Assert.Empty(texts.Select(t => t.Code).Except(codes));
        // A return rule's severity is the severity of every finding under its code (F006's "more not listed" aside).
        foreach (var text in texts.Where(t => t != IpsOutcomes.Returns.Says.MoreNotListed
            && IpsOutcomes.Returns.ReturnRules.ByCode.ContainsKey(t.Code)))
            Assert.Equal(IpsOutcomes.Returns.ReturnRules.ByCode[text.Code].Severity, text.Severity);
    }

    private static class Regex
    {
        public static int Count(string text, string value) => (text.Length - text.Replace(value, "").Length) / value.Length;
    }
}
