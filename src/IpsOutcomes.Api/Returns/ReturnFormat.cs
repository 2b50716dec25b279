using System.Globalization;
using System.Text.RegularExpressions;

namespace IpsOutcomes.Returns;

/// <summary>The columns of return format v1, its code lists, and how a cell is read. Pure functions only.</summary>
public static partial class ReturnFormat
{
    public const string ReferralId = "referral_id";
    public const string ClientId = "client_id";
    public const string ReferralDate = "referral_date";
    public const string ReferralSource = "referral_source";
    public const string EthnicCategory = "ethnic_category";
    public const string Gender = "gender";
    public const string AgeAtReferral = "age_at_referral";
    public const string EmploymentStatus = "employment_status_at_referral";
    public const string FirstContactDate = "first_contact_date";
    public const string FirstEmployerContactDate = "first_employer_contact_date";
    public const string DischargeDate = "discharge_date";
    public const string DischargeReason = "discharge_reason";

    public static readonly string[] Columns =
    [
        ReferralId, ClientId, ReferralDate, ReferralSource, EthnicCategory, Gender, AgeAtReferral, EmploymentStatus,
        FirstContactDate, FirstEmployerContactDate, DischargeDate, DischargeReason,
    ];

    public static readonly string[] RequiredColumns = [ReferralId, ClientId, ReferralDate, EthnicCategory, EmploymentStatus];

    public static readonly string[] JobFields = ["start_date", "end_date", "hours_per_week", "type"];

    /// <summary>A template return: the header and one example row.</summary>
    public static string Template =>
        string.Join(",", Columns.Concat(JobFields.Select(f => JobColumn(1, f)))) + "\r\n"
        + "R-000123,C-000045,2025-01-06,secondary_mental_health,A,2,34,unemployed,2025-01-13,2025-01-27,,,2025-03-03,,16,competitive\r\n";

    public static string JobColumn(int number, string field) => $"job_{number}_{field}";

    /// <summary>Header names match ignoring case, spaces, underscores and hyphens.</summary>
    public static string NormaliseHeader(string header)
    {
        Span<char> buffer = stackalloc char[Math.Min(header.Length, 256)];
        var length = 0;
        foreach (var c in header)
        {
            if (c is ' ' or '_' or '-' or '\t' or '\uFEFF' || length == buffer.Length) continue;
            buffer[length++] = char.ToLowerInvariant(c);
        }
        return new string(buffer[..length]);
    }

    private static readonly Dictionary<string, string> ColumnsByNormalisedName =
        Columns.ToDictionary(NormaliseHeader, c => c);

    [GeneratedRegex("^job([0-9]{1,3})(startdate|enddate|hoursperweek|type)$")]
    private static partial Regex JobHeader();

    /// <summary>The canonical column a header names, with the job number for job columns; null when unknown.</summary>
    public static (string Column, int Job, string? JobField)? MatchHeader(string header)
    {
        var normalised = NormaliseHeader(header);
        if (ColumnsByNormalisedName.TryGetValue(normalised, out var column)) return (column, 0, null);
        var job = JobHeader().Match(normalised);
        if (!job.Success) return null;
        var number = int.Parse(job.Groups[1].Value, CultureInfo.InvariantCulture);
        var field = job.Groups[2].Value switch { "startdate" => "start_date", "enddate" => "end_date", "hoursperweek" => "hours_per_week", _ => "type" };
        return number < 1 ? null : (JobColumn(number, field), number, field);
    }

    /// <summary>The known column closest to an unknown header, when it is close enough to be a likely typo.</summary>
    public static string? Suggest(string header)
    {
        var normalised = NormaliseHeader(header);
        if (normalised.Length is 0 or > 64) return null;
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var (candidateNormalised, column) in ColumnsByNormalisedName.Concat(
                     JobFields.Select(f => KeyValuePair.Create(NormaliseHeader(JobColumn(1, f)), JobColumn(1, f)))))
        {
            var distance = Levenshtein(normalised, candidateNormalised);
            if (distance < bestDistance) (best, bestDistance) = (column, distance);
        }
        return bestDistance <= Math.Max(2, normalised.Length / 4) ? best : null;
    }

    private static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    // Code lists, keyed by the normalised spelling (lower case, runs of spaces and hyphens as one underscore),
    // with the synonyms a person typing into a spreadsheet would use.
    public static readonly IReadOnlyDictionary<string, string> ReferralSources = Codes(
        ("secondary_mental_health", ["secondary_mh", "secondary_care", "cmht", "community_mental_health_team"]),
        ("primary_care", ["gp"]),
        ("drug_alcohol", ["drug_and_alcohol", "drugs_and_alcohol", "drug_&_alcohol", "substance_misuse"]),
        ("self", ["self_referral", "self_referred"]),
        ("other", []));

    public static readonly IReadOnlyDictionary<string, string> EthnicCategories = Codes(
        ("A", []), ("B", []), ("C", []), ("D", []), ("E", []), ("F", []), ("G", []), ("H", []), ("J", []), ("K", []),
        ("L", []), ("M", []), ("N", []), ("P", []), ("R", []), ("S", []), ("Z", []), ("99", []));

    public static readonly IReadOnlyDictionary<string, string> Genders = Codes(
        ("1", ["male", "m"]), ("2", ["female", "f"]), ("9", ["indeterminate"]), ("X", ["not_known", "unknown"]));

    public static readonly IReadOnlyDictionary<string, string> EmploymentStatuses = Codes(
        ("unemployed", []),
        ("economically_inactive", ["inactive", "econ_inactive"]),
        ("employed", ["in_work", "in_employment", "working"]));

    public static readonly IReadOnlyDictionary<string, string> JobTypes = Codes(
        ("competitive", ["competitive_employment", "open", "open_employment"]),
        ("self_employed", ["selfemployed", "self_employment"]),
        ("other_paid", ["other", "sheltered", "transitional"]));

    public static readonly IReadOnlyDictionary<string, string> DischargeReasons = Codes(
        ("in_work_support_ended", ["in_work", "in_work_support_complete"]),
        ("disengaged", ["dna", "did_not_engage"]),
        ("declined", ["declined_service"]),
        ("moved_away", ["moved", "moved_area", "moved_out_of_area"]),
        ("other", []));

    private static Dictionary<string, string> Codes(params (string Code, string[] Synonyms)[] codes)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (code, synonyms) in codes)
        {
            map[code] = code; // as most files write it, found without normalising
            map[NormaliseCode(code)] = code;
            foreach (var synonym in synonyms) map[NormaliseCode(synonym)] = code;
        }
        return map;
    }

    [GeneratedRegex(@"[\s\-]+")]
    private static partial Regex CodeSeparators();

    public static string NormaliseCode(string value) => CodeSeparators().Replace(value.Trim().ToLowerInvariant(), "_");

    /// <summary>The canonical code a value stands for; most files already use the code itself, so try that first.</summary>
    public static string? MatchCode(IReadOnlyDictionary<string, string> codes, string value) =>
        codes.TryGetValue(value, out var code) || codes.TryGetValue(NormaliseCode(value), out code) ? code : null;

    public static readonly DateOnly EarliestDate = new(2000, 1, 1);

    public enum DateProblem { None, Unreadable, TwoDigitYear, BeforeEarliest }

    /// <summary>ISO yyyy-MM-dd, or UK d/M/yyyy (Excel's UK default), optionally with a midnight time; never US order.</summary>
    public static DateProblem TryParseDate(string text, out DateOnly date)
    {
        date = default;
        var value = text.Trim();
        if (value.EndsWith(" 00:00", StringComparison.Ordinal)) value = value[..^6];
        else if (value.EndsWith(" 00:00:00", StringComparison.Ordinal)) value = value[..^9];
        int year, month, day;
        if (value.Length == 10 && value[4] == '-' && value[7] == '-')
        {
            if (!Digits(value.AsSpan(0, 4), out year) || !Digits(value.AsSpan(5, 2), out month) || !Digits(value.AsSpan(8, 2), out day))
                return DateProblem.Unreadable;
        }
        else
        {
            var first = value.IndexOf('/');
            var second = first < 0 ? -1 : value.IndexOf('/', first + 1);
            if (first is < 1 or > 2 || second - first is < 2 or > 3) return DateProblem.Unreadable;
            var yearPart = value.AsSpan(second + 1);
            if (!Digits(value.AsSpan(0, first), out day) || !Digits(value.AsSpan(first + 1, second - first - 1), out month)
                || !Digits(yearPart, out year))
                return DateProblem.Unreadable;
            if (yearPart.Length == 2) return DateProblem.TwoDigitYear;
            if (yearPart.Length != 4) return DateProblem.Unreadable;
        }
        if (month is < 1 or > 12 || day < 1 || year < 1 || day > DateTime.DaysInMonth(year, month)) return DateProblem.Unreadable;
        date = new DateOnly(year, month, day);
        return date < EarliestDate ? DateProblem.BeforeEarliest : DateProblem.None;
    }

    private static bool Digits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 4) return false;
        foreach (var c in text)
        {
            if (c is < '0' or > '9') return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }

    /// <summary>Ten digits (spaces and hyphens allowed between them) that pass the NHS number Modulus 11 check.</summary>
    public static bool LooksLikeNhsNumber(string value)
    {
        if (value.Length is < 10 or > 14) return false;
        Span<int> digits = stackalloc int[10];
        var count = 0;
        foreach (var c in value)
        {
            if (c is >= '0' and <= '9')
            {
                if (count == 10) return false;
                digits[count++] = c - '0';
            }
            else if (c is not (' ' or '-')) return false;
        }
        if (count != 10) return false;
        var sum = 0;
        for (var i = 0; i < 9; i++) sum += digits[i] * (10 - i);
        var check = 11 - sum % 11;
        if (check == 11) check = 0;
        return check != 10 && check == digits[9];
    }

    [GeneratedRegex("^[A-Za-z0-9._/-]{1,64}$")]
    public static partial Regex ReferralIdPattern();

    /// <summary>A value echoed back is cut to 50 characters, and an NHS number never is.</summary>
    public static string? Echo(string value) =>
        LooksLikeNhsNumber(value) ? null : value.Length <= 50 ? value : value[..50] + "…";
}
