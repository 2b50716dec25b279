using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using static IpsOutcomes.Returns.ReturnFormat;

namespace IpsOutcomes.Returns;

/// <summary>The reader: the header, then each row's values, checked rule family by rule family.</summary>
public sealed partial class ReturnValidator
{
    /// <summary>Reads the rows of a file, adding header and row findings to <paramref name="findings"/>.</summary>
    public IEnumerable<ReturnRow> Read(Stream stream, System.Text.Encoding encoding, ReturnPeriod period, FindingSink findings)
    {
        using var reader = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = false,
            IgnoreBlankLines = false,
            Delimiter = ",",
            Mode = CsvMode.RFC4180,
            BadDataFound = null,
            BufferSize = 1 << 16,
        };
        using var parser = new CsvParser(reader, configuration);
        Header? header = null;
        var previousEnd = 0;
        while (true)
        {
            bool more;
            try { more = parser.Read(); }
            catch (CsvHelperException)
            {
                findings.Add(Says.BrokenCsv, previousEnd + 1, null, null, null);
                yield break;
            }
            if (!more) break;
            var line = previousEnd + 1;
            previousEnd = parser.RawRow;
            var record = parser.Record ?? [];
            if (record.All(string.IsNullOrWhiteSpace)) continue; // blank lines and Excel's trailing ,,,, rows

            // An unclosed quote swallows the rest of the file into one field: say so, rather than misread it.
            if (OpensUnclosedQuote(parser.RawRecord))
            {
                findings.Add(Says.UnclosedQuote, line, null, null, null);
                yield break;
            }

            if (header is null)
            {
                header = Header.Read(record, line, findings);
                if (header is null) yield break;
                continue;
            }
            yield return header.ReadRow(record, line, period, findings);
        }
        if (header is null) findings.Add(Says.NoHeader, null, null, null, null);
    }

    private static bool OpensUnclosedQuote(string raw)
    {
        var quotes = 0;
        foreach (var c in raw) if (c == '"') quotes++;
        return quotes % 2 == 1;
    }

    private sealed class Header
    {
        private readonly Dictionary<string, int> columns = new();
        private readonly string[] names;
        private readonly int[] jobNumbers;

        // Each job's columns, named once here (null where the file does not have one), not for every field of every row.
        private readonly Dictionary<int, (string? Start, string? End, string? Hours, string? Type)> jobColumns = [];

        private Header(string[] names, int[] jobNumbers) => (this.names, this.jobNumbers) = (names, jobNumbers);

        public static Header? Read(string[] record, int line, FindingSink findings)
        {
            var columns = new Dictionary<string, int>();
            var jobs = new Dictionary<int, Dictionary<string, int>>();
            var fatal = false;
            for (var i = 0; i < record.Length; i++)
            {
                var name = record[i].Trim();
                if (name.Length == 0) continue;
                var match = MatchHeader(name);
                if (match is null)
                {
                    var suggestion = Suggest(name);
                    findings.Add(suggestion is null ? Says.UnknownColumn : Says.UnknownColumnLike, line, Echo(name), null, null,
                        Echo(name), suggestion);
                    continue;
                }
                var (column, job, field) = match.Value;
                if (columns.TryGetValue(column, out var first))
                {
                    findings.Add(Says.RepeatedColumn, line, column, null, null, column, first + 1, i + 1);
                    fatal = true;
                    continue;
                }
                columns[column] = i;
                if (job > 0)
                {
                    if (!jobs.TryGetValue(job, out var fields)) jobs[job] = fields = new();
                    fields[field!] = i;
                }
            }
            foreach (var required in RequiredColumns.Where(r => !columns.ContainsKey(r)))
            {
                findings.Add(Says.MissingColumn, line, required, null, null, required);
                fatal = true;
            }
            var numbers = jobs.Keys.Order().ToArray();
            for (var n = 0; n < numbers.Length; n++)
            {
                if (numbers[n] != n + 1)
                {
                    findings.Add(Says.JobColumnsGap, line, JobColumn(numbers[n], "start_date"), null, null, numbers[n], n + 1);
                    fatal = true;
                    break;
                }
            }
            if (fatal) return null;
            var header = new Header(record, numbers);
            foreach (var (key, value) in columns) header.columns[key] = value;
            foreach (var (number, fields) in jobs)
            {
                string? Named(string field) => fields.ContainsKey(field) ? JobColumn(number, field) : null;
                header.jobColumns[number] = (Named("start_date"), Named("end_date"), Named("hours_per_week"), Named("type"));
            }
            return header;
        }

        private string Cell(string[] record, string column) =>
            columns.TryGetValue(column, out var index) && index < record.Length ? record[index].Trim() : "";

        public ReturnRow ReadRow(string[] record, int line, ReturnPeriod period, FindingSink findings)
        {
            var cells = new RowCells(this, record, line, period, findings);
            var row = cells.Identity();
            cells.ReadReferral(row);
            cells.CheckDateOrder(row);
            cells.ReadJobs(row);
            return row;
        }

        /// <summary>One row's cells as the header names them, read and checked in steps, each finding reported against the row.</summary>
        private sealed class RowCells
        {
            private readonly Header header;
            private readonly string[] record;
            private readonly int line;
            private readonly ReturnPeriod period;
            private readonly FindingSink findings;
            private readonly string? safeReferralId;
            private readonly HashSet<int>? nhsColumns;
            private readonly RowFindings report;

            public RowCells(Header header, string[] record, int line, ReturnPeriod period, FindingSink findings)
            {
                (this.header, this.record, this.line, this.period, this.findings) = (header, record, line, period, findings);
                var referralId = Cell(ReferralId);
                safeReferralId = ReferralIdPattern().IsMatch(referralId) ? referralId : null;
                nhsColumns = NhsNumbers();
                report = new RowFindings(findings, line, safeReferralId);
            }

            private string Cell(string column) => header.Cell(record, column);

            /// <summary>R011 first: a value that looks like an NHS number is never echoed, whatever column it is in.</summary>
            private HashSet<int>? NhsNumbers()
            {
                HashSet<int>? found = null;
                for (var i = 0; i < record.Length; i++)
                {
                    if (!LooksLikeNhsNumber(record[i].Trim())) continue;
                    (found ??= []).Add(i);
                    var name = i < header.names.Length && header.names[i].Trim().Length > 0 ? Echo(header.names[i].Trim()) : $"column {i + 1}";
                    findings.Add(Says.NhsNumber, line, name, i == header.columns.GetValueOrDefault(ReferralId, -1) ? null : safeReferralId,
                        null);
                }
                return found;
            }

            private bool IsNhs(string column) => nhsColumns is not null && header.columns.TryGetValue(column, out var index)
                && nhsColumns.Contains(index);

            /// <summary>The referral and client ids.</summary>
            public ReturnRow Identity()
            {
                var referralId = Cell(ReferralId);
                if (referralId.Length == 0) report.Add(Says.Empty, ReferralId, null, ReferralId);
                else if (!IsNhs(ReferralId) && safeReferralId is null)
                    report.Add(Says.BadReferralId, ReferralId);
                var clientId = Cell(ClientId);
                if (clientId.Length == 0) report.Add(Says.Empty, ClientId, null, ClientId);
                else if (!IsNhs(ClientId) && (clientId.Length > 64 || clientId.Any(char.IsControl)))
                    report.Add(Says.BadClientId, ClientId);
                return new ReturnRow { Line = line, ReferralId = referralId, SafeReferralId = safeReferralId, ClientId = clientId };
            }

            /// <summary>The referral's own columns: dates, codes and age.</summary>
            public void ReadReferral(ReturnRow row)
            {
                row.ReferralDate = Date(ReferralDate, required: true);
                row.ReferralSource = Code(ReferralSource, ReferralSources, false, "secondary_mental_health, primary_care, drug_alcohol, self, other");
                var ethnicity = Cell(EthnicCategory);
                if (ethnicity.Length == 0)
                    report.Add(Says.EthnicityEmpty, EthnicCategory);
                else row.EthnicCategory = Code(EthnicCategory, EthnicCategories, false, "A-S (NHS Data Dictionary), Z (not stated), 99 (not known)") ?? "99";
                row.Gender = Code(Gender, Genders, false, "1 (male), 2 (female), 9 (indeterminate), X (not known)");
                var age = Cell(AgeAtReferral);
                if (age.Length > 0 && !IsNhs(AgeAtReferral))
                {
                    if (int.TryParse(age, NumberStyles.None, CultureInfo.InvariantCulture, out var years)
                        && years is >= 16 and <= 100) row.AgeAtReferral = years;
                    else report.Add(Says.AgeOutOfRange, AgeAtReferral, age, Echo(age));
                }
                row.EmploymentStatus = Code(EmploymentStatus, EmploymentStatuses, true, "unemployed, economically_inactive, employed");
                row.FirstContactDate = Date(FirstContactDate, false);
                row.FirstEmployerContactDate = Date(FirstEmployerContactDate, false);
                row.DischargeDate = Date(DischargeDate, false);
                row.DischargeReason = Code(DischargeReason, DischargeReasons, false, "in_work_support_ended, disengaged, declined, moved_away, other");
            }

            /// <summary>The referral's dates in the order they can happen.</summary>
            public void CheckDateOrder(ReturnRow row)
            {
                if (row.ReferralDate is { } referred)
                {
                    if (row.FirstContactDate < referred)
                        report.Add(Says.ContactBeforeReferral, FirstContactDate, null, row.FirstContactDate, referred);
                    if (row.FirstEmployerContactDate < referred)
                        report.Add(Says.EmployerContactBeforeReferral, FirstEmployerContactDate, null, row.FirstEmployerContactDate,
                            referred);
                    if (row.DischargeDate < referred)
                        report.Add(Says.DischargeBeforeReferral, DischargeDate, null, row.DischargeDate, referred);
                }
                if (row.DischargeDate < row.FirstContactDate)
                    report.Add(Says.DischargeBeforeContact, DischargeDate, null, row.DischargeDate, row.FirstContactDate);
                if (row.DischargeDate < period.FirstDay)
                    report.Add(Says.ClosedBeforePeriod, DischargeDate, null, row.DischargeDate, period);
            }

            /// <summary>Each job's columns, and the job against the referral's dates.</summary>
            public void ReadJobs(ReturnRow row)
            {
                foreach (var number in header.jobNumbers)
                {
                    var (startColumn, endColumn, hoursColumn, typeColumn) = header.jobColumns[number];
                    var start = startColumn is null ? null : Date(startColumn, false);
                    var end = endColumn is null ? null : Date(endColumn, false);
                    double? hours = null;
                    var hoursText = hoursColumn is null ? "" : Cell(hoursColumn);
                    if (hoursText.Length > 0 && !IsNhs(hoursColumn!))
                    {
                        if (double.TryParse(hoursText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var h) && h > 0
                            && h <= 80) hours = h;
                        else report.Add(Says.HoursOutOfRange, hoursColumn!, hoursText, hoursColumn, Echo(hoursText));
                    }
                    var typeText = typeColumn is null ? "" : Cell(typeColumn);
                    var type = typeText.Length == 0 ? null : Code(typeColumn!, JobTypes, false, "competitive, self_employed, other_paid");
                    if (start is not { } started) continue;
                    if (typeText.Length == 0)
                        report.Add(Says.JobWithoutType, JobColumn(number, "type"), null, number, JobColumn(number, "type"));
                    if (row.ReferralDate is { } referralDate && started < referralDate)
                        report.Add(Says.JobBeforeReferral, startColumn!, null, number, started, referralDate);
                    if (end < started)
                        report.Add(Says.JobEndsBeforeStart, endColumn!, null, number, end, started);
                    if (row.DischargeDate < started)
                        report.Add(Says.JobAfterDischarge, startColumn!, null, number, started, row.DischargeDate);
                    row.Jobs.Add(new ReturnJob(number, started, end, hours, type));
                }
            }

            private DateOnly? Date(string column, bool required)
            {
                var text = Cell(column);
                if (text.Length == 0)
                {
                    if (required) report.Add(Says.Empty, column, null, column);
                    return null;
                }
                if (IsNhs(column)) return null;
                switch (TryParseDate(text, out var date))
                {
                    case DateProblem.None:
                        if (date > period.LastDay)
                        {
                            report.Add(Says.DateAfterPeriod, column, text, column, date, period.LastDay);
                            return null;
                        }
                        return date;
                    case DateProblem.TwoDigitYear:
                        report.Add(Says.TwoDigitYear, column, text, column, Echo(text));
                        return null;
                    case DateProblem.BeforeEarliest:
                        report.Add(Says.DateTooEarly, column, text, column, Echo(text));
                        return null;
                    default:
                        report.Add(Says.NotADate, column, text, column, Echo(text));
                        return null;
                }
            }

            private string? Code(string column, IReadOnlyDictionary<string, string> codes, bool required, string allowed)
            {
                var text = Cell(column);
                if (text.Length == 0)
                {
                    if (required) report.Add(Says.Empty, column, null, column);
                    return null;
                }
                if (IsNhs(column)) return null;
                var code = MatchCode(codes, text);
                if (code is null) report.Add(Says.UnknownCode, column, text, column, Echo(text), allowed);
                return code;
            }
        }
    }
}
