using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IpsOutcomes.Tests.Returns;
using static IpsOutcomes.Tests.Returns.ReturnKit;

namespace IpsOutcomes.Tests.Submissions;

/// <summary>Files that are not returns at all: each gets a finding or a problem, never a 500, never a hang.</summary>
public class HostileInputTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly TestApp app = shared.App;

    public static TheoryData<string, string> Inputs() => new()
    {
        { "binary junk", "F002" },
        { "an Excel workbook", "F002" },
        { "an empty file", "F001" },
        { "a header only", "F001" },
        { "a 10,000-column header", "F003" },
        { "a single 10 MB line", "F003" },
        { "a truncated quoted field", "F002" },
        { "a storm of quotes", "F003" },
        { "UTF-16 with a BOM", "none" },
    };

    private static byte[] Make(string input)
    {
        var random = new Random(42);
        switch (input)
        {
            case "binary junk":
                var junk = new byte[64 * 1024];
                random.NextBytes(junk);
                return junk;
            case "an Excel workbook":
                return [.. "PK\u0003\u0004"u8, .. new byte[512]];
            case "an empty file":
                return [];
            case "a header only":
                return Encoding.UTF8.GetBytes(Header + "\r\n");
            case "a 10,000-column header":
                return Encoding.UTF8.GetBytes(string.Join(",", Enumerable.Range(1, 10_000).Select(i => $"column{i}")) + "\n1,2,3\n");
            case "a single 10 MB line":
                return Encoding.UTF8.GetBytes(new string('x', 10 * 1024 * 1024));
            case "a truncated quoted field":
                return Encoding.UTF8.GetBytes(File(Row("R1"))[..^10] + "\"never closed");
            case "a storm of quotes":
                return Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("\"\"\"\",\"", 50_000)));
            default:
                return Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(File(Row("R1")))).ToArray();
        }
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task EachGetsAFindingNeverAServerError(string input, string code)
    {
        var (provider, client) = await ProviderAsync(app);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var content = new ByteArrayContent(Make(input));
        content.Headers.ContentType = new("text/csv");
        var response = await client.PostAsync($"/api/v1/providers/{provider}/returns/2025-03/validate", content, timeout.Token);
        await Expect.Status(response, HttpStatusCode.OK);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        var codes = result.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()).ToList();
        if (code == "none")
        {
            Assert.Equal("accepted", result.GetProperty("verdict").GetString());
            return;
        }
        Assert.Equal("rejected", result.GetProperty("verdict").GetString());
        Assert.Contains(code, codes);
    }

    [Fact]
    public async Task BodiesThatAreNotCsvAreProblems()
    {
        var (provider, client) = await ProviderAsync(app);
        var json = new StringContent("{}", Encoding.UTF8, "application/json");
        await Expect.Problem(await client.PostAsync($"/api/v1/providers/{provider}/returns/2025-03", json), HttpStatusCode.UnsupportedMediaType,
            "urn:ipsoutcomes:problem:unsupported-media-type");
        using var form = new MultipartFormDataContent { { new StringContent("x"), "not_file" } };
        var noFile = await Expect.Problem(await client.PostAsync($"/api/v1/providers/{provider}/returns/2025-03", form), HttpStatusCode.BadRequest,
            "urn:ipsoutcomes:problem:bad-request");
        Assert.Contains("'file'", noFile.GetProperty("detail").GetString());
    }
}
