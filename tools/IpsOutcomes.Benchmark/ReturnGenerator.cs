using System.Globalization;
using System.Text;

namespace IpsOutcomes.Benchmark;

/// <summary>
/// Writes a synthetic but plausible monthly return: a caseload of referrals with an England-like ethnicity mix,
/// first contacts, employer contacts, job starts and discharges, all consistent with the validation rules.
/// The same seed always writes the same file.
/// </summary>
public static class ReturnGenerator
{
    // Roughly the ethnic make-up of people in contact with adult secondary mental health services in England.
    private static readonly (string Code, int Weight)[] Ethnicities =
    [
        ("A", 620), ("B", 10), ("C", 50), ("D", 10), ("E", 5), ("F", 5), ("G", 10), ("H", 25), ("J", 25), ("K", 10),
        ("L", 15), ("M", 20), ("N", 25), ("P", 10), ("R", 5), ("S", 20), ("Z", 40), ("99", 95),
    ];

    public const string Header =
        "referral_id,client_id,referral_date,referral_source,ethnic_category,gender,age_at_referral,employment_status_at_referral," +
        "first_contact_date,first_employer_contact_date,job_1_start_date,job_1_end_date,job_1_hours_per_week,job_1_type," +
        "job_2_start_date,job_2_end_date,job_2_hours_per_week,job_2_type,discharge_date,discharge_reason";

    /// <summary>One referral's whole story; a return shows as much of it as had happened by its month's end.</summary>
    private sealed record Referral(int Number, int Client, DateOnly Referred, string Source, string Ethnicity, char Gender, int Age,
        string Status, DateOnly? Contact, DateOnly? Employer, DateOnly? JobStart, DateOnly? JobEnd, int Hours, string JobType,
            DateOnly? Discharge);

    private static List<Referral> Referrals(int rows, DateOnly periodEnd, int seed)
    {
        var random = new Random(seed);
        var totalWeight = Ethnicities.Sum(e => e.Weight);
        var referrals = new List<Referral>(rows);
        for (var i = 0; i < rows; i++)
        {
            var referred = periodEnd.AddDays(-random.Next(0, 5 * 365));
            var pick = random.Next(totalWeight);
            var ethnicity = Ethnicities.First(e => (pick -= e.Weight) < 0).Code;
            var status = random.Next(100) switch { < 70 => "unemployed", < 88 => "economically_inactive", _ => "employed" };
            DateOnly? contact = random.Next(100) < 85 ? Min(referred.AddDays(random.Next(0, 45)), periodEnd) : null;
            DateOnly? employer = contact is { } c && random.Next(100) < 70 ? Min(c.AddDays(random.Next(0, 60)), periodEnd) : null;
            DateOnly? jobStart = contact is { } c2 && random.Next(100) < 40 ? Min(c2.AddDays(random.Next(7, 240)), periodEnd) : null;
            DateOnly? jobEnd = jobStart is { } s && random.Next(100) < 35 ? Min(s.AddDays(random.Next(14, 400)), periodEnd) : null;
            DateOnly? discharge = contact is { } c3 && random.Next(100) < 45 ? Min(c3.AddDays(random.Next(30, 540)), periodEnd) : null;
            if (discharge is { } d && jobStart > d) discharge = jobStart;
            if (discharge is { } d2 && jobEnd > d2) discharge = jobEnd;
            referrals.Add(new Referral(i, i - random.Next(0, 3) * (i % 7 == 0 ? 1 : 0), referred,
                random.Next(100) < 80 ? "secondary_mental_health" : "primary_care", ethnicity, random.Next(100) < 52 ? '2' : '1',
                random.Next(18, 66), status, contact, employer, jobStart, jobEnd, random.Next(8, 38),
                random.Next(100) < 85 ? "competitive" : "self_employed", discharge));
        }
        return referrals;
    }

    /// <summary>A provider's cumulative caseload file: every referral of five years, as known at <paramref name="periodEnd"/>.</summary>
    public static void Write(string path, int rows, DateOnly periodEnd, int seed) =>
        WriteReturn(path, Referrals(rows, periodEnd, seed), periodEnd.AddDays(1 - periodEnd.Day), periodEnd, openOnly: false);

    /// <summary>
    /// The same five years as monthly returns: for each month, the referrals open at any time in it, with only what
    /// had happened by the month's end. Returns the files, oldest first, with their months.
    /// </summary>
    public static IEnumerable<(string Path, DateOnly Month)> WriteMonthly(string folder, int rows, DateOnly periodEnd, int seed)
    {
        var referrals = Referrals(rows, periodEnd, seed);
        var last = periodEnd.AddDays(1 - periodEnd.Day);
        for (var month = last.AddYears(-5).AddMonths(1); month <= last; month = month.AddMonths(1))
        {
            var path = Path.Combine(folder, $"return-{seed}-{month:yyyy-MM}.csv");
            WriteReturn(path, referrals, month, month.AddMonths(1).AddDays(-1), openOnly: true);
            yield return (path, month);
        }
    }

    private static void WriteReturn(string path, IEnumerable<Referral> referrals, DateOnly first, DateOnly last, bool openOnly)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write(Header);
        writer.Write('\n');
        var line = new StringBuilder(256);
        string D(DateOnly? d) => d is { } day && day <= last ? day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "";
        foreach (var r in referrals)
        {
            if (r.Referred > last) continue;
            var discharge = r.Discharge <= last ? r.Discharge : null;
            if (openOnly && discharge < first) continue;
            var jobStarted = r.JobStart <= last;
            line.Clear();
            line.Append('R').Append(r.Number.ToString("D8", CultureInfo.InvariantCulture)).Append(',')
                .Append('C').Append(r.Client.ToString("D8", CultureInfo.InvariantCulture)).Append(',')
                .Append(D(r.Referred)).Append(',').Append(r.Source).Append(',').Append(r.Ethnicity).Append(',')
                .Append(r.Gender).Append(',').Append(r.Age).Append(',').Append(r.Status).Append(',')
                .Append(D(r.Contact)).Append(',').Append(D(r.Employer)).Append(',')
                .Append(D(r.JobStart)).Append(',').Append(jobStarted ? D(r.JobEnd) : "").Append(',')
                .Append(jobStarted ? r.Hours.ToString(CultureInfo.InvariantCulture) : "").Append(',')
                .Append(jobStarted ? r.JobType : "").Append(",,,,,")
                .Append(D(discharge)).Append(',').Append(discharge is null ? "" : "in_work_support_ended");
            writer.Write(line);
            writer.Write('\n');
        }
    }

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;
}
