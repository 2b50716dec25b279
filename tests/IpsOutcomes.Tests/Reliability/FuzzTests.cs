using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Xunit.Abstractions;
using static IpsOutcomes.Tests.Returns.ReturnKit;

namespace IpsOutcomes.Tests.Reliability;

/// <summary>
/// Malformed CSV of every kind through the dry run. CI runs the hand-made cases and a slice of generated ones; the full
/// count is a command: <c>IPS_FUZZ_FILES=10000 IPS_FUZZ_SEED=1 dotnet test --filter FuzzTests</c>.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    private static IEnumerable<(string Name, byte[] Bytes)> HandMade()
    {
        var valid = Encoding.UTF8.GetBytes(File(Row("R1", ("job_1_start_date", "2025-03-20"), ("job_1_type", "competitive")), Row("R2", ("gender", "1")), Row("R3")));
        for (var cut = 0; cut <= valid.Length; cut++) yield return ($"truncated at {cut}", valid[..cut]);
        var random = new Random(20251123);
        for (var i = 0; i < 60; i++)
        {
            var junk = new byte[random.Next(1, 4096)];
            random.NextBytes(junk);
            yield return ($"random bytes {i}", junk);
            // Random bytes without NULs: they read as text, in some encoding.
            yield return ($"random text {i}", junk.Select(b => b == 0 ? (byte)'x' : b).ToArray());
        }
        var text = Encoding.UTF8.GetString(valid);
        yield return ("UTF-16 without a BOM", Encoding.Unicode.GetBytes(text));
        yield return ("UTF-8 with an invalid sequence mid-file", [.. valid[..200], 0xC3, 0x28, .. valid[200..]]);
        yield return ("Latin-1 and UTF-8 mixed", [.. Encoding.Latin1.GetBytes(text.Replace("C", "Ç")), .. Encoding.UTF8.GetBytes("R9,Zoë,2025-03-03,,A,,,unemployed,,,,,,,,\n")]);
        yield return ("a 2 MB field", Encoding.UTF8.GetBytes(Header + "\n\"" + new string('a', 2 << 20) + "\",C1,2025-03-03,,A,,,unemployed\n"));
        yield return ("a storm of quotes", Encoding.UTF8.GetBytes(new string('"', 100_000)));
        yield return ("quotes inside fields", Encoding.UTF8.GetBytes(Header + "\nR\"1,C\"\"1,2025-03-03,,A,,,unemployed\n"));
        yield return ("only commas and newlines", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(",,,,\r\n", 20_000))));
        yield return ("a header of 50,000 columns", Encoding.UTF8.GetBytes(string.Join(",", Enumerable.Range(0, 50_000).Select(i => $"c{i}"))));
    }

    private static readonly string[] HostileValues =
    [
        "", " ", "\"", "\"\"", "'", "=cmd|' /C calc'!A0", "9434765919", "943 476 5919", "31/02/2025", "2025-02-30", "0000-00-00", "99/99/9999",
        "2025-13-01", "1899-12-31", "25-03-03", "-1", "999999999999999999999", "1e308", "NaN", "null", "\u0000", "\uFEFF", "Zoë", "😀",
        new string('x', 70), new string('9', 5000), "A,B", "\r", "\n", "\\", "%s%n", "<script>", "1;DROP TABLE referrals", "2025-03-03T00:00:00Z",
        "01/03/2025 00:00", "03/01/2025", "competitive ", "COMPETITIVE", "self-employed", "Economically inactive", "X", "99", "Z",
    ];

    /// <summary>A valid return mangled by one to five random edits: bytes, rows, columns, fields and encodings.</summary>
    private static IEnumerable<(string Name, byte[] Bytes)> Generated(int count, int seed)
    {
        var random = new Random(seed);
        var rows = Enumerable.Range(1, 20).Select(i => Row($"G{i}", ("referral_date", "2025-03-0" + (i % 9 + 1)), ("first_contact_date", i % 3 == 0 ? "" : "2025-03-12"),
            ("job_1_start_date", i % 4 == 0 ? "2025-03-20" : ""), ("job_1_type", i % 4 == 0 ? "competitive" : ""),
                ("gender", (i % 2 + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)))).ToList();
        for (var n = 0; n < count; n++)
        {
            var lines = new List<string> { Header };
            lines.AddRange(rows.Take(random.Next(0, rows.Count + 1)));
            var edits = new List<string>();
            for (var e = random.Next(1, 6); e > 0; e--)
            {
                if (lines.Count == 0) lines.Add("");
                var line = random.Next(lines.Count);
                var fields = lines[line].Split(',').ToList();
                switch (random.Next(9))
                {
                    case 0: // a field replaced with something hostile
                        var field = random.Next(fields.Count);
                        fields[field] = HostileValues[random.Next(HostileValues.Length)];
                        lines[line] = string.Join(",", fields);
                        edits.Add($"field {field} of line {line}");
                        break;
                    case 1: // a field dropped or added
                        if (random.Next(2) == 0 && fields.Count > 1) fields.RemoveAt(random.Next(fields.Count));
                        else fields.Insert(random.Next(fields.Count + 1), "extra");
                        lines[line] = string.Join(",", fields);
                        edits.Add($"columns of line {line}");
                        break;
                    case 2: // a line repeated, dropped or moved above the header
                        var which = random.Next(3);
                        if (which == 0) lines.Insert(random.Next(lines.Count + 1), lines[line]);
                        else if (which == 1) lines.RemoveAt(line);
                        else { var moved = lines[line]; lines.RemoveAt(line); lines.Insert(0, moved); }
                        edits.Add($"line {line} repeated, dropped or moved");
                        break;
                    case 3: // header columns shuffled
                        lines[0] = string.Join(",", lines[0].Split(',').OrderBy(_ => random.Next()));
                        edits.Add("header shuffled");
                        break;
                    case 4: // an unbalanced quote
                        lines[line] = lines[line].Insert(random.Next(lines[line].Length + 1), "\"");
                        edits.Add($"quote in line {line}");
                        break;
                    default:
                        edits.Add("bytes");
                        break;
                }
            }
            var bytes = Encoding.UTF8.GetBytes(string.Join(random.Next(3) switch { 0 => "\n", 1 => "\r\n", _ => "\r" }, lines) + "\n").ToList();
            // Byte-level damage: flips, cuts, NULs, BOMs and stray high bytes, anywhere.
            for (var b = edits.Count(e => e == "bytes") * random.Next(1, 4); b > 0 && bytes.Count > 0; b--)
            {
                var at = random.Next(bytes.Count);
                switch (random.Next(5))
                {
                    case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                    case 1: bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 64))); break;
                    case 2: bytes.Insert(at, 0); break;
                    case 3: bytes.InsertRange(at, [0xEF, 0xBB, 0xBF]); break;
                    default: bytes.Insert(at, (byte)random.Next(0x80, 0x100)); break;
                }
            }
            yield return ($"generated {n} (seed {seed}): {string.Join("; ", edits)}", bytes.ToArray());
        }
    }

    /// <summary>Every answer a verdict with findings or a problem; no 500; no hang.</summary>
    [Fact]
    public async Task MalformedFilesGetFindingsNeverAServerError()
    {
        var generated = int.TryParse(Environment.GetEnvironmentVariable("IPS_FUZZ_FILES"), out var files) ? files : 300;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("IPS_FUZZ_SEED"), out var s) ? s : 1;
        using var app = new TestApp(settings: new() { ["RateLimits:UploadsPerMinute"] = "0" });
        var (provider, client) = await ProviderAsync(app);
        client.Timeout = TimeSpan.FromSeconds(30); // a hang fails the test
        int tried = 0, accepted = 0, rejected = 0, problems = 0;
        var slowest = TimeSpan.Zero;
        foreach (var (name, bytes) in HandMade().Concat(Generated(generated, seed)))
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var response = await client.PostAsync($"/api/v1/providers/{provider}/returns/2025-03/validate", content);
            slowest = clock.Elapsed > slowest ? clock.Elapsed : slowest;
            Assert.True((int)response.StatusCode < 500, $"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var result = await response.Content.ReadFromJsonAsync<JsonElement>();
                var verdict = result.GetProperty("verdict").GetString();
                Assert.True(verdict == "accepted" || result.GetProperty("findings").GetArrayLength() > 0, $"{name}: rejected without a finding");
                if (verdict == "accepted") accepted++; else rejected++;
            }
            else problems++;
            tried++;
        }
        output.WriteLine($"fuzz: {tried} files ({generated} generated, seed {seed}): {rejected} rejected with findings, {accepted} accepted, " +
            $"{problems} refused with a problem, 0 answers of 500; slowest answer {slowest.TotalMilliseconds:N0} ms");
        Assert.True(tried > 600 + generated - 1, $"only {tried} inputs");
    }
}
