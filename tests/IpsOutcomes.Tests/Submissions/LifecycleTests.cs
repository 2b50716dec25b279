using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hangfire;
using IpsOutcomes.Submissions;
using IpsOutcomes.Tests.Infrastructure;
using IpsOutcomes.Tests.Returns;
using Microsoft.Extensions.DependencyInjection;
using static IpsOutcomes.Tests.Returns.ReturnKit;

namespace IpsOutcomes.Tests.Submissions;

public class LifecycleTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly TestApp app = shared.App;

    [Fact]
    public async Task AnAcceptedReturnIsStoredWithProgressAndTheRawFileIsGone()
    {
        var (provider, client) = await ProviderAsync(app);
        var csv = File(Row("R1", ("job_1_start_date", "2025-03-20"), ("job_1_type", "competitive"), ("job_1_hours_per_week", "16")), Row("R2"), Row("R3"));
        var submission = await SubmitAsync(client, provider, "2025-03", csv);

        Assert.Equal("accepted", submission.GetProperty("status").GetString());
        Assert.Equal(3, submission.GetProperty("row_count").GetInt32());
        Assert.Equal(3, submission.GetProperty("rows_read").GetInt32());
        Assert.Equal(0, submission.GetProperty("error_count").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(csv))),
            submission.GetProperty("file_sha256").GetString());
        Assert.Equal(3, Referrals(app, provider));
        Assert.Equal(1, Scalar(app, "SELECT COUNT(*) FROM referral_jobs WHERE provider_code = @p", ("@p", provider)));
        Assert.Equal(0, Scalar(app, "SELECT COUNT(*) FROM upload_chunks c JOIN submissions s ON s.upload_id = c.upload_id WHERE s.provider_code = @p", ("@p", provider)));
        Assert.Equal(0, Scalar(app, "SELECT COUNT(*) FROM submissions WHERE provider_code = @p AND upload_id IS NOT NULL", ("@p", provider)));
    }

    [Fact]
    public async Task TheDatabaseNeverHoldsTheServicesOwnIdentifiers()
    {
        var (provider, client) = await ProviderAsync(app);
        await SubmitAsync(client, provider, "2025-03", File(Row("UNIQUE-REF-77", ("client_id", "UNIQUE-CLIENT-77")), Row("UNIQUE-REF-77")));
        await SubmitAsync(client, provider, "2025-03", File(Row("UNIQUE-REF-77", ("client_id", "UNIQUE-CLIENT-77"))));

        // The decision is visible at commit; the checkpoint that clears the raw file's old pages from the
        // write-ahead log follows it at once. Allow it a moment (other tests share this database).
        var secrets = new[] { "UNIQUE-REF-77", "UNIQUE-CLIENT-77" }.Select(Encoding.UTF8.GetBytes).ToArray();
        await Eventually.UntilAsync(async () =>
        {
            var bytes = await System.IO.File.ReadAllBytesAsync(Path.Combine(app.DataFolder, "ipsoutcomes.db"));
            var wal = Path.Combine(app.DataFolder, "ipsoutcomes.db-wal");
            if (System.IO.File.Exists(wal)) bytes = [.. bytes, .. await ReadShared(wal)];
            return secrets.All(secret => bytes.AsSpan().IndexOf(secret) < 0);
        }, "the raw identifiers to be gone from the database file", TimeSpan.FromSeconds(5), everyMs: 100);

        // The service itself still sees its referral ids in its findings (they are decrypted for it).
        var rejected = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/submissions?provider={provider}&status=rejected")).GetProperty("items")[0];
        var findings = await FindingsAsync(client, rejected.GetProperty("id").GetInt64());
        Assert.Contains(findings, f => f.GetProperty("referral_id").GetString() == "UNIQUE-REF-77");
    }

    private static async Task<byte[]> ReadShared(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory);
        return memory.ToArray();
    }

    [Fact]
    public async Task AResubmissionSupersedesTheEarlierReturnForTheMonth()
    {
        var (provider, client) = await ProviderAsync(app);
        var first = await SubmitAsync(client, provider, "2025-03", File(Row("R1"), Row("R2"), Row("TYPO-3")));
        var second = await SubmitAsync(client, provider, "2025-03", File(Row("R1", ("ethnic_category", "N")), Row("R2"), Row("R3")));

        Assert.Equal("accepted", second.GetProperty("status").GetString());
        var earlier = await client.GetFromJsonAsync<JsonElement>($"/api/v1/submissions/{first.GetProperty("id").GetInt64()}");
        Assert.Equal("superseded", earlier.GetProperty("status").GetString());
        Assert.Equal(second.GetProperty("id").GetInt64(), earlier.GetProperty("superseded_by").GetInt64());
        // The mistyped referral only the superseded return ever had is gone; no referral is duplicated.
        Assert.Equal(3, Referrals(app, provider));
        Assert.Equal(1, Scalar(app, "SELECT COUNT(*) FROM referrals WHERE provider_code = @p AND ethnic_category = 'N'", ("@p", provider)));
        Assert.Equal(1, Scalar(app, "SELECT COUNT(*) FROM submissions WHERE provider_code = @p AND status = 'accepted'", ("@p", provider)));
    }

    [Fact]
    public async Task LatestPeriodWinsSoAJobRecordedLateLandsOnTheRightReferral()
    {
        var (provider, client) = await ProviderAsync(app);
        var march = File(Row("R1"), Row("R2"));
        await SubmitAsync(client, provider, "2025-03", march);
        // April's return records a job that started in March, and R1's first employer contact.
        var april = File(
            Row("R1", ("first_employer_contact_date", "2025-03-17"), ("job_1_start_date", "2025-03-28"), ("job_1_type", "competitive")),
            Row("R2"));
        await SubmitAsync(client, provider, "2025-04", april);
        Assert.Equal(1, Scalar(app, "SELECT COUNT(*) FROM referral_jobs WHERE provider_code = @p AND start_date = '2025-03-28'", ("@p", provider)));

        // March resubmitted afterwards, still without the job: April's later word stands.
        var resubmittedMarch = await SubmitAsync(client, provider, "2025-03", march + Row("R5") + "\n");
        Assert.Equal("accepted", resubmittedMarch.GetProperty("status").GetString());
        Assert.Equal(1, Scalar(app, "SELECT COUNT(*) FROM referral_jobs WHERE provider_code = @p AND start_date = '2025-03-28'", ("@p", provider)));
        Assert.Equal(1, Scalar(app, "SELECT COUNT(*) FROM referrals WHERE provider_code = @p AND first_employer_contact_date = '2025-03-17'", ("@p", provider)));
        Assert.Equal(3, Referrals(app, provider));
        Assert.Equal("2025-04", (await app.Admin().GetFromJsonAsync<JsonElement>($"/api/v1/submissions?provider={provider}&status=accepted"))
            .GetProperty("items").EnumerateArray().Max(s => s.GetProperty("period").GetString()));
    }

    [Fact]
    public async Task TheSameBytesAgainAnswerWithTheExistingSubmission()
    {
        var (provider, client) = await ProviderAsync(app);
        var csv = File(Row("R1"), Row("R2"));
        var first = await UploadAsync(client, provider, "2025-03", csv);
        await Expect.Status(first, HttpStatusCode.Accepted);
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        Assert.Equal($"/api/v1/submissions/{id}", first.Headers.Location!.OriginalString);

        var again = await UploadAsync(client, provider, "2025-03", csv);
        await Expect.Status(again, HttpStatusCode.OK);
        Assert.Equal(id, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
        // A retried request with the same Idempotency-Key is the same submission, whatever its body.
        var keyed = await UploadAsync(client, provider, "2025-03", File(Row("R9")), idempotencyKey: "batch-2025-03-try");
        await Expect.Status(keyed, HttpStatusCode.Accepted);
        var keyedId = (await keyed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var retried = await UploadAsync(client, provider, "2025-03", File(Row("R9"), Row("R10")), idempotencyKey: "batch-2025-03-try");
        await Expect.Status(retried, HttpStatusCode.OK);
        Assert.Equal(keyedId, (await retried.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
        await WaitForDecisionAsync(client, keyedId);
        Assert.Equal(2, Scalar(app, "SELECT COUNT(*) FROM submissions WHERE provider_code = @p", ("@p", provider)));
    }

    [Fact]
    public async Task ConcurrentUploadsForOneMonthEndWithOneCurrentReturnAndNoDuplicates()
    {
        var (provider, client) = await ProviderAsync(app);
        var files = Enumerable.Range(0, 4)
            .Select(v => File(Enumerable.Range(1, 200).Select(i => Row($"R{i}", ("age_at_referral", (20 + v).ToString()))).ToArray()))
            .ToList();
        // Each distinct file twice, all at once.
        var responses = await Task.WhenAll(files.Concat(files).Select(f => UploadAsync(client, provider, "2025-03", f)));
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, r.StatusCode.ToString()));
        var ids = new HashSet<long>();
        foreach (var response in responses) ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
        // Each file at least once; a twin that arrives after its first copy was superseded counts as sent again.
        Assert.InRange(ids.Count, 4, 8);
        foreach (var id in ids) await WaitForDecisionAsync(client, id);

        Assert.Equal(1, Scalar(app, "SELECT COUNT(*) FROM submissions WHERE provider_code = @p AND status = 'accepted'", ("@p", provider)));
        Assert.Equal(ids.Count - 1, Scalar(app, "SELECT COUNT(*) FROM submissions WHERE provider_code = @p AND status = 'superseded'", ("@p", provider)));
        Assert.Equal(200, Referrals(app, provider));
        // The current return is the latest upload, and every referral's state came from it.
        var current = Scalar(app, "SELECT id FROM submissions WHERE provider_code = @p AND status = 'accepted'", ("@p", provider));
        Assert.Equal(ids.Max(), current);
        Assert.Equal(200, Scalar(app, "SELECT COUNT(*) FROM referrals WHERE provider_code = @p AND submission_id = @s", ("@p", provider), ("@s", current)));
    }

    [Fact]
    public async Task RunningTheJobAgainChangesNothing()
    {
        var (provider, client) = await ProviderAsync(app);
        var submission = await SubmitAsync(client, provider, "2025-03", File(Row("R1"), Row("R2")));
        var id = submission.GetProperty("id").GetInt64();
        var version = Scalar(app, "SELECT version FROM data_version");

        var jobs = app.Services.GetRequiredService<IBackgroundJobClient>();
        var jobId = jobs.Enqueue<SubmissionJob>(job => job.ProcessAsync(id, CancellationToken.None));
        var monitor = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        await Eventually.UntilAsync(() => monitor.JobDetails(jobId).History.FirstOrDefault()?.StateName == "Succeeded", "the second run to finish",
            TimeSpan.FromSeconds(30));
        var after = await client.GetFromJsonAsync<JsonElement>($"/api/v1/submissions/{id}");
        Assert.Equal("accepted", after.GetProperty("status").GetString());
        Assert.Equal(1, after.GetProperty("attempts").GetInt32());
        Assert.Equal(version, Scalar(app, "SELECT version FROM data_version"));
        Assert.Equal(2, Referrals(app, provider));
    }

    [Fact]
    public async Task ExcelSavedAndUtf8WithBomFilesAreReadCorrectly()
    {
        var (provider, client) = await ProviderAsync(app);
        var samples = Path.Combine(RepositoryRoot.Path, "samples");
        var utf8 = await UploadFileAsync(client, provider, "2025-03", await System.IO.File.ReadAllBytesAsync(Path.Combine(samples, "valid-return-2025-03.csv")), "valid.csv");
        var utf8Submission = await WaitForDecisionAsync(client, (await utf8.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id")
            .GetInt64());
        Assert.Equal("accepted", utf8Submission.GetProperty("status").GetString());
        var clientKeys = Scalar(app, "SELECT COUNT(DISTINCT client_key) FROM referrals WHERE provider_code = @p", ("@p", provider));

        // Windows-1252, CRLF, dd/MM/yyyy, 'Referral Date' headers, 'Self-employed' codes, £ and accents, trailing ,,,, rows.
        var excel = await UploadFileAsync(client, provider, "2025-03", await System.IO.File.ReadAllBytesAsync(Path.Combine(samples, "excel-saved-return-2025-03.csv")), "excel.csv");
        var excelSubmission = await WaitForDecisionAsync(client, (await excel.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id")
            .GetInt64());
        Assert.Equal("accepted", excelSubmission.GetProperty("status").GetString());
        Assert.Equal(15, excelSubmission.GetProperty("row_count").GetInt32());
        var findings = await FindingsAsync(client, excelSubmission.GetProperty("id").GetInt64());
        Assert.Equal(["F005", "W004"], findings.Select(f => f.GetProperty("code").GetString()!).Order().ToArray());
        Assert.Equal("Employer (notes)", findings.Single(f => f.GetProperty("code").GetString() == "F005").GetProperty("column").GetString());
        // The same people and referrals as the UTF-8 file: 'Zoë-1012' was decoded, not mangled.
        Assert.Equal(15, Referrals(app, provider));
        Assert.Equal(clientKeys, Scalar(app, "SELECT COUNT(DISTINCT client_key) FROM referrals WHERE provider_code = @p", ("@p", provider)));
        Assert.Equal(1, Scalar(app, "SELECT COUNT(*) FROM referral_jobs WHERE provider_code = @p AND job_type = 'self_employed'", ("@p", provider)));

        var withBom = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(File(Row("R1")).Replace("\n", "\r\n"))).ToArray();
        var bom = await DryRunAsync(client, provider, "2025-03", withBom);
        Assert.Equal("accepted", bom.GetProperty("verdict").GetString());
        Assert.Empty(bom.GetProperty("findings").EnumerateArray());
    }

    [Fact]
    public async Task TheDryRunGivesTheSameVerdictAndFindingsAndStoresNothing()
    {
        var (provider, client) = await ProviderAsync(app);
        var csv = File(Row("R1"), Row("R1"), Row("R3", ("gender", "Q")), Row("R4", ("ethnic_category", "")));
        var dryRun = await DryRunAsync(client, provider, "2025-03", Encoding.UTF8.GetBytes(csv));
        Assert.Equal(0, Scalar(app, "SELECT COUNT(*) FROM submissions WHERE provider_code = @p", ("@p", provider)));

        var submission = await SubmitAsync(client, provider, "2025-03", csv);
        Assert.Equal("rejected", dryRun.GetProperty("verdict").GetString());
        Assert.Equal(submission.GetProperty("status").GetString(), dryRun.GetProperty("verdict").GetString());
        string Describe(JsonElement f) => $"{f.GetProperty("code")}@{f.GetProperty("line")}:{f.GetProperty("column")}";
        Assert.Equal(
            (await FindingsAsync(client, submission.GetProperty("id").GetInt64())).Select(Describe),
            dryRun.GetProperty("findings").EnumerateArray().Select(Describe));
    }

    [Fact]
    public async Task TheTemplateIsAReturnThatPassesValidation()
    {
        var (provider, client) = await ProviderAsync(app);
        var template = await client.GetAsync("/api/v1/returns/template");
        await Expect.Status(template, HttpStatusCode.OK);
        Assert.Equal("text/csv", template.Content.Headers.ContentType?.MediaType);
        var text = await template.Content.ReadAsStringAsync();
        Assert.StartsWith("referral_id,client_id,referral_date", text);
        var dryRun = await DryRunAsync(client, provider, "2025-03", Encoding.UTF8.GetBytes(text));
        Assert.Equal("accepted", dryRun.GetProperty("verdict").GetString());
        Assert.Equal(1, dryRun.GetProperty("row_count").GetInt32());
    }

    [Fact]
    public async Task FindingsCsvNeutralisesFormulasForSpreadsheets()
    {
        var (provider, client) = await ProviderAsync(app);
        var submission = await SubmitAsync(client, provider, "2025-03", File(Row("R1", ("gender", "=1+2")), Row("R2", ("referral_source", "@SUM(A1)"))));
        var response = await client.GetAsync($"/api/v1/submissions/{submission.GetProperty("id").GetInt64()}/findings?format=csv");
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var csv = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("line,severity,code,column,referral_id,value,message", csv.TrimStart('\uFEFF'));
        Assert.Contains(",\"'=1+2\",", csv);
        Assert.Contains(",\"'@SUM(A1)\",", csv);
        Assert.DoesNotContain(",=1+2,", csv);
        using var byAccept = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/submissions/{submission.GetProperty("id").GetInt64()}/findings");
        byAccept.Headers.Accept.ParseAdd("text/csv");
        Assert.Equal("text/csv", (await client.SendAsync(byAccept)).Content.Headers.ContentType?.MediaType);
    }
}
