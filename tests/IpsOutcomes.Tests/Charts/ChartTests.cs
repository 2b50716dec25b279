using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using IpsOutcomes.Tests.Infrastructure;
using SkiaSharp;
using static IpsOutcomes.Tests.Returns.ReturnKit;

namespace IpsOutcomes.Tests.Charts;

/// <summary>
/// Charts on served data: each SVG is parsed and its marks counted against the figures its JSON route answers for the
/// same question (groups, points, gaps left by suppression), and a PNG decodes to the size asked for.
/// </summary>
public class ChartTests : IClassFixture<ChartTests.Data>
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private readonly Data data;

    public ChartTests(Data data) => this.data = data;

    /// <summary>Two services of West Yorkshire: one with 3 referrals in January (too few to publish) and 40 in February, 36 into work; one
    /// with 40 in February, 6 into work.</summary>
    public sealed class Data : IAsyncLifetime
    {
        public TestApp App { get; } = new();
        public string High { get; private set; } = "";
        public string Low { get; private set; } = "";
        public HttpClient Icb { get; private set; } = null!;
        public HttpClient HighClient { get; private set; } = null!;

        private static readonly string[] Categories = ["A", "H", "M", "D", "S"];

        public async Task InitializeAsync()
        {
            HttpClient lowClient;
            (High, HighClient) = await ProviderAsync(App);
            (Low, lowClient) = await ProviderAsync(App);
            var january = Enumerable.Range(1, 3).Select(i => Row($"J{i}", ("referral_date", "2025-01-06"), ("first_contact_date", "2025-01-13")));
            await SubmitAsync(HighClient, High, "2025-03", File([.. january, .. Referrals("H", 40, 36)]));
            await SubmitAsync(lowClient, Low, "2025-03", File(Referrals("L", 40, 6)));
            Icb = App.ClientWithKey(await App.IssueKeyAsync("icb", "QWO"));
        }

        private static string[] Referrals(string prefix, int count, int withJobs) => Enumerable.Range(1, count).Select(i => Row($"{prefix}{i}",
            ("referral_date", "2025-02-03"), ("first_contact_date", "2025-02-10"), ("ethnic_category", Categories[i % Categories.Length]),
            ("job_1_start_date", i <= withJobs ? "2025-03-03" : ""), ("job_1_type", i <= withJobs ? "competitive" : ""))).ToArray();

        public Task DisposeAsync()
        {
            App.Dispose();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task ATrendChartDrawsAPointForEachPublishedPeriodAndSaysHowManyItLeftOut()
    {
        var question = $"level=provider&code={data.High}&period_type=month&from=2024-10&to=2025-03&indicators=accessed";
        var rows = await data.Icb.GetFromJsonAsync<JsonElement[]>($"/api/v1/indicators?{question}");
        var svg = await SvgAsync(data.Icb, $"/api/v1/charts/trend.svg?{question}");

        var published = rows!.Count(r => r.GetProperty("value").ValueKind != JsonValueKind.Null);
        var hidden = rows!.Length - published;
        Assert.Contains(rows!, r => r.GetProperty("period").GetString() == "2025-01" && r.GetProperty("suppressed").GetBoolean()); // January's 3
        Assert.Equal(published, Marks(svg, "point").Count);
        Assert.Contains(Notes(svg), n => n.StartsWith($"{hidden} periods not drawn", StringComparison.Ordinal));
        // The hidden count is nowhere in the picture: not in a title, the description or a note.
        Assert.DoesNotContain(Marks(svg, "point"), p => p.Element(Svg + "title")!.Value.StartsWith("2025-01", StringComparison.Ordinal));
        Assert.DoesNotContain("2025-01: 3", svg.ToString());
        AssertHasTheWordsEveryChartHas(svg);
    }

    [Fact]
    public async Task AnSpcChartDrawsEachMonthWithAValueInItsStateAndBothIcons()
    {
        var question = $"level=provider&code={data.High}&indicators=accessed&from=2024-04&to=2025-03";
        var report = await data.Icb.GetFromJsonAsync<JsonElement>($"/api/v1/indicators/spc?{question}");
        var months = report.GetProperty("series")[0].GetProperty("months").EnumerateArray().ToList();
        var svg = await SvgAsync(data.Icb, $"/api/v1/charts/spc.svg?{question}");

        var points = Marks(svg, "point");
        Assert.Equal(months.Count(m => m.GetProperty("value").ValueKind != JsonValueKind.Null), points.Count);
        var states = months.Where(m => m.GetProperty("value").ValueKind != JsonValueKind.Null).Select(m => "state-" + m.GetProperty("state").GetString());
        Assert.Equal(states, points.Select(p => p.Attribute("class")!.Value.Split(' ')[1]));
        Assert.Single(Marks(svg, "variation"));
        Assert.Single(Marks(svg, "assurance"));
        AssertHasTheWordsEveryChartHas(svg);
    }

    [Fact]
    public async Task TheLeagueAndFunnelDrawEveryPeerWithAPublishedValue()
    {
        const string question = "level=provider&within=QWO&period_type=rolling12&month=2025-03&indicators=employment_rate";
        var rows = await data.Icb.GetFromJsonAsync<JsonElement[]>($"/api/v1/indicators?{question}");
        var league = await SvgAsync(data.Icb, $"/api/v1/charts/league.svg?{question}");
        Assert.Equal(rows!.Count(r => r.GetProperty("value").ValueKind != JsonValueKind.Null), Marks(league, "bar").Count);

        var funnel = await data.Icb.GetFromJsonAsync<JsonElement>($"/api/v1/indicators/funnel?{question}");
        var svg = await SvgAsync(data.Icb, $"/api/v1/charts/funnel.svg?{question}");
        var points = funnel.GetProperty("points").EnumerateArray().Where(p => p.GetProperty("value").ValueKind != JsonValueKind.Null).ToList();
        Assert.Equal(points.Select(p => "position-" + p.GetProperty("position").GetString()).Order(),
            Marks(svg, "point").Select(p => p.Attribute("class")!.Value.Split(' ')[1]).Order());
        Assert.Contains(Marks(svg, "point"), p => p.Attribute("class")!.Value.Contains("above_99_8"));
        AssertHasTheWordsEveryChartHas(svg);
    }

    [Fact]
    public async Task AForestPlotHasARowPerKnownGroupAndAnEstimateForEachPublishedRatio()
    {
        var question = $"level=provider&code={data.Low}&period_type=rolling12&month=2025-03";
        var report = await data.Icb.GetFromJsonAsync<JsonElement>($"/api/v1/reports/equality?{question}");
        var period = report.GetProperty("periods")[0];
        var svg = await SvgAsync(data.Icb, $"/api/v1/charts/forest.svg?{question}");

        var groups = period.GetProperty("access").GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(groups.Select(g => g.GetProperty("group").GetString()), Marks(svg, "group").Select(g => g.Attribute("data-group")!.Value));
        Assert.Equal(groups.Count(g => g.GetProperty("representation_ratio").ValueKind != JsonValueKind.Null), Marks(svg, "representation").Count);
        var outcomes = period.GetProperty("outcome").GetProperty("groups").EnumerateArray()
            .Count(g => g.GetProperty("rate_ratio").ValueKind != JsonValueKind.Null && g.GetProperty("group").GetString() != "white");
        Assert.Equal(outcomes, Marks(svg, "outcome").Count(m => !m.Attribute("class")!.Value.Contains("reference")));
        Assert.Single(Marks(svg, "reference"));
        Assert.Contains(Notes(svg), n => n.StartsWith("Ethnicity not known or not stated", StringComparison.Ordinal));
        Assert.Equal(2, Marks(svg, "line-at-one", element: "line").Count); // one per panel
    }

    [Fact]
    public async Task TheCompletenessGridHasACellForEachProviderAndMonth()
    {
        var report = await data.Icb.GetFromJsonAsync<JsonElement>("/api/v1/reports/completeness?from=2024-10&to=2025-03");
        var svg = await SvgAsync(data.Icb, "/api/v1/charts/completeness.svg?from=2024-10&to=2025-03");
        var providers = report.GetProperty("providers").EnumerateArray().ToList();
        Assert.Equal(providers.Count, Marks(svg, "cell").Count);
        Assert.Equal(providers.Count(p => p.GetProperty("status").GetString() == "on_time"), Marks(svg, "status-on_time").Count);
        Assert.Equal(providers.Select(p => p.GetProperty("provider_code").GetString()).Distinct().Count(), Marks(svg, "provider").Count);
    }

    [Fact]
    public async Task APngDecodesToTheWidthAskedForAndTheSvgsProportions()
    {
        var question = $"level=provider&code={data.High}&period_type=month&from=2024-10&to=2025-03&indicators=accessed";
        var svg = await SvgAsync(data.Icb, $"/api/v1/charts/trend.svg?{question}");
        using var response = await data.Icb.GetAsync($"/api/v1/charts/trend.png?{question}&width=640");
        Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        using var bitmap = SKBitmap.Decode(bytes);
        Assert.Equal(640, bitmap.Width);
        Assert.Equal(Math.Round(double.Parse(svg.Root!.Attribute("height")!.Value,
            System.Globalization.CultureInfo.InvariantCulture) * 640 / 800), bitmap.Height);
        await Keep("trend.png", bytes);
    }

    [Fact]
    public async Task AChartIsScopedCachedAndValidatedAsItsFiguresAre()
    {
        var question = $"level=provider&code={data.High}&period_type=month&from=2024-10&to=2025-03&indicators=accessed";
        using var other = data.App.ClientWithKey(await data.App.IssueKeyAsync("icb", "QOP"));
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync($"/api/v1/charts/trend.svg?{question}")).StatusCode);

        using var first = await data.Icb.GetAsync($"/api/v1/charts/trend.svg?{question}");
        using var again = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/charts/trend.svg?{question}");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await data.Icb.SendAsync(again)).StatusCode);

        foreach (var bad in new[] { $"trend.svg?{question}&width=10", "trend.svg?level=provider&indicators=accessed", "league.svg?within=QWO&indicators=a,b&month=2025-03", "spc.svg?indicators=accessed" })
        {
            using var refused = await data.Icb.GetAsync($"/api/v1/charts/{bad}");
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await data.Icb.GetAsync($"/api/v1/charts/trend.gif?{question}")).StatusCode);
    }

    private static void AssertHasTheWordsEveryChartHas(XDocument svg)
    {
        Assert.False(string.IsNullOrWhiteSpace(svg.Root!.Element(Svg + "title")!.Value));
        Assert.False(string.IsNullOrWhiteSpace(svg.Root.Element(Svg + "desc")!.Value));
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value.StartsWith("Data version ", StringComparison.Ordinal));
        Assert.NotEmpty(Marks(svg, "axis-label").Concat(svg.Descendants(Svg + "text").Where(t => t.Attribute("class")?.Value == "axis-label")));
    }

    private static async Task<XDocument> SvgAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType!.MediaType);
        await Keep(url.Split('?')[0].Split('/')[^1], System.Text.Encoding.UTF8.GetBytes(body));
        return XDocument.Parse(body);
    }

    private static List<XElement> Marks(XDocument svg, string cssClass, string element = "g") =>
        svg.Descendants(Svg + element).Where(g => (g.Attribute("class")?.Value ?? "").Split(' ').Contains(cssClass)).ToList();

    private static List<string> Notes(XDocument svg) =>
        svg.Descendants(Svg + "text").Where(t => t.Attribute("class")?.Value == "chart-note").Select(t => t.Value).ToList();

    /// <summary>Each chart the tests drew, kept for a person to look at (TestResults/charts).</summary>
    private static Task Keep(string name, byte[] bytes)
    {
        var folder = Path.Combine(RepositoryRoot.Path, "TestResults", "charts");
        Directory.CreateDirectory(folder);
        return System.IO.File.WriteAllBytesAsync(Path.Combine(folder, name), bytes);
    }
}
