using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace IpsOutcomes.Tests.Returns;

/// <summary>Builds return files row by row, uploads them, and waits for the real job to decide them.</summary>
public static class ReturnKit
{
    public const string Header =
        "referral_id,client_id,referral_date,referral_source,ethnic_category,gender,age_at_referral,employment_status_at_referral," +
        "first_contact_date,first_employer_contact_date,job_1_start_date,job_1_end_date,job_1_hours_per_week,job_1_type,discharge_date,discharge_reason";

    private static readonly string[] Columns = Header.Split(',');

    /// <summary>A valid row; pass column=value pairs to change it.</summary>
    public static string Row(string referralId, params (string Column, string Value)[] changes)
    {
        var values = new Dictionary<string, string>
        {
            ["referral_id"] = referralId,
            ["client_id"] = "C" + referralId,
            ["referral_date"] = "2025-03-03",
            ["referral_source"] = "secondary_mental_health",
            ["ethnic_category"] = "A",
            ["gender"] = "2",
            ["age_at_referral"] = "30",
            ["employment_status_at_referral"] = "unemployed",
            ["first_contact_date"] = "2025-03-10",
        };
        foreach (var (column, value) in changes) values[column] = value;
        return string.Join(",", Columns.Select(c => values.GetValueOrDefault(c, "")));
    }

    public static string File(params string[] rows) => Header + "\n" + string.Join("\n", rows) + "\n";

    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string provider, string period, string csv,
        string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/providers/{provider}/returns/{period}")
        {
            Content = new StringContent(csv, Encoding.UTF8, "text/csv"),
        };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await client.SendAsync(request);
    }

    public static async Task<HttpResponseMessage> UploadFileAsync(HttpClient client, string provider, string period, byte[] bytes,
        string fileName)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", fileName);
        return await client.PostAsync($"/api/v1/providers/{provider}/returns/{period}", form);
    }

    /// <summary>Uploads and waits until the job has decided; returns the submission.</summary>
    public static async Task<JsonElement> SubmitAsync(HttpClient client, string provider, string period, string csv)
    {
        var response = await UploadAsync(client, provider, period, csv);
        if (response.StatusCode is not (HttpStatusCode.Accepted or HttpStatusCode.OK))
            await Expect.Status(response, HttpStatusCode.Accepted);
        var submission = await response.Content.ReadFromJsonAsync<JsonElement>();
        return await WaitForDecisionAsync(client, submission.GetProperty("id").GetInt64());
    }

    public static async Task<JsonElement> WaitForDecisionAsync(HttpClient client, long id)
    {
        return await Eventually.UntilAsync(() => client.GetFromJsonAsync<JsonElement>($"/api/v1/submissions/{id}"),
            submission => submission.GetProperty("status").GetString() is "accepted" or "rejected" or "superseded", $"submission {id} to be decided");
    }

    public static async Task<JsonElement[]> FindingsAsync(HttpClient client, long id) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/submissions/{id}/findings?page_size=5000"))
        .GetProperty("items").EnumerateArray().ToArray();

    public static async Task<JsonElement> DryRunAsync(HttpClient client, string provider, string period, byte[] bytes,
        string contentType = "text/csv")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var response = await client.PostAsync($"/api/v1/providers/{provider}/returns/{period}/validate", content);
        await Expect.Status(response, HttpStatusCode.OK);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Reads the service's own SQLite file, to check what was and was not stored.</summary>
    public static long Scalar(TestApp app, string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(app.DataFolder, "ipsoutcomes.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return Convert.ToInt64(command.ExecuteScalar());
    }

    public static long Referrals(TestApp app, string provider) =>
        Scalar(app, "SELECT COUNT(*) FROM referrals WHERE provider_code = @p", ("@p", provider));

    private static int providerCounter;

    /// <summary>A provider of its own for each test, with a key that may upload for it.</summary>
    public static async Task<(string Code, HttpClient Client)> ProviderAsync(TestApp app, string icb = "QWO")
    {
        var code = $"P{Interlocked.Increment(ref providerCounter):D4}{Random.Shared.Next(100, 999)}";
        await app.RegisterProviderAsync(code, icb);
        return (code, app.ClientWithKey(await app.IssueKeyAsync("provider", code)));
    }
}
