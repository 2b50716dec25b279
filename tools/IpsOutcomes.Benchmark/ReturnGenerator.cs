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

    public static void Write(string path, int rows, DateOnly periodEnd, int seed)
    {
        var random = new Random(seed);
        var totalWeight = Ethnicities.Sum(e => e.Weight);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write(Header);
        writer.Write('\n');
        var line = new StringBuilder(256);
        string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        for (var i = 0; i < rows; i++)
        {
            line.Clear();
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
            line.Append("R").Append(i.ToString("D8", CultureInfo.InvariantCulture)).Append(',')
                .Append("C").Append((i - random.Next(0, 3) * (i % 7 == 0 ? 1 : 0)).ToString("D8", CultureInfo.InvariantCulture)).Append(',')
                .Append(D(referred)).Append(',')
                .Append(random.Next(100) < 80 ? "secondary_mental_health" : "primary_care").Append(',')
                .Append(ethnicity).Append(',')
                .Append(random.Next(100) < 52 ? '2' : '1').Append(',')
                .Append(random.Next(18, 66)).Append(',')
                .Append(status).Append(',')
                .Append(contact is { } fc ? D(fc) : "").Append(',')
                .Append(employer is { } ec ? D(ec) : "").Append(',')
                .Append(jobStart is { } js ? D(js) : "").Append(',')
                .Append(jobEnd is { } je ? D(je) : "").Append(',')
                .Append(jobStart is null ? "" : random.Next(8, 38).ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(jobStart is null ? "" : random.Next(100) < 85 ? "competitive" : "self_employed").Append(",,,,,")
                .Append(discharge is { } dd ? D(dd) : "").Append(',')
                .Append(discharge is null ? "" : "in_work_support_ended");
            writer.Write(line);
            writer.Write('\n');
        }
    }

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;
}
