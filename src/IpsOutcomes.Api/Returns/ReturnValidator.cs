using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using CsvHelper;
using CsvHelper.Configuration;
using static IpsOutcomes.Returns.ReturnFormat;

namespace IpsOutcomes.Returns;

public sealed class ReturnRow
{
    public int Line { get; init; }
    public string ReferralId { get; init; } = "";
    public string? SafeReferralId { get; init; } // null when the id is not fit to echo back
    public string ClientId { get; init; } = "";
    public DateOnly? ReferralDate { get; set; }
    public string? ReferralSource { get; set; }
    public string EthnicCategory { get; set; } = "99";
    public string? Gender { get; set; }
    public int? AgeAtReferral { get; set; }
    public string? EmploymentStatus { get; set; }
    public DateOnly? FirstContactDate { get; set; }
    public DateOnly? FirstEmployerContactDate { get; set; }
    public DateOnly? DischargeDate { get; set; }
    public string? DischargeReason { get; set; }
    public List<ReturnJob> Jobs { get; } = [];
}

public sealed record ReturnJob(int Number, DateOnly Start, DateOnly? End, double? HoursPerWeek, string? Type);

public sealed record ReturnLimits(long MaxBytes, int MaxRows, int MaxFindingsKept)
{
    public static readonly ReturnLimits Default = new(50L * 1024 * 1024, 1_000_000, 100_000);
}

/// <summary>
/// Findings as they are found: every error and warning is counted; the first <c>kept</c> are kept in full, so a
/// file with an error on every one of a million rows cannot exhaust memory.
/// </summary>
public sealed class FindingSink(int kept)
{
    private readonly List<Finding> findings = [];
    public int Errors { get; private set; }
    public int Warnings { get; private set; }
    public int Dropped { get; private set; }
    public IReadOnlyList<Finding> Findings => findings;

    public void Add(Finding finding)
    {
        if (finding.Severity == Severity.Error) Errors++; else Warnings++;
        if (findings.Count < kept) findings.Add(finding); else Dropped++;
    }

    /// <summary>
    /// Checks across rows (duplicates, overlaps) run after the rows are read: put the findings that have a line in
    /// line order, file-level ones found before any line first, and the rest (about the whole file) last.
    /// </summary>
    public void PutInFileOrder()
    {
        var keyed = new List<(int Key, int Index)>(findings.Count);
        var anyLine = false;
        for (var i = 0; i < findings.Count; i++)
        {
            keyed.Add((findings[i].Line ?? (anyLine ? int.MaxValue : 0), i));
            anyLine |= findings[i].Line is not null;
        }
        keyed.Sort();
        var ordered = keyed.ConvertAll(k => findings[k.Index]);
        findings.Clear();
        findings.AddRange(ordered);
    }

    /// <summary>Whether the next finding will be kept in full (else it is only counted).</summary>
    public bool KeepsAnother => findings.Count < kept;

    public void Error(string code, int? line, string? column, string? referralId, string? value, string message) =>
        Add(new Finding(code, Severity.Error, line, column, referralId, value, message));

    public void Error(string code, int? line, string? column, string? referralId, string? value,
        [InterpolatedStringHandlerArgument("")] ref FindingMessage message) =>
        Add(code, Severity.Error, line, column, referralId, value, message.ToStringAndClear());

    public void Warning(string code, int? line, string? column, string? referralId, string? value, string message) =>
        Add(new Finding(code, Severity.Warning, line, column, referralId, value, message));

    public void Warning(string code, int? line, string? column, string? referralId, string? value,
        [InterpolatedStringHandlerArgument("")] ref FindingMessage message) =>
        Add(code, Severity.Warning, line, column, referralId, value, message.ToStringAndClear());

    private void Add(string code, Severity severity, int? line, string? column, string? referralId, string? value, string? message)
    {
        if (message is not null)
        {
            Add(new Finding(code, severity, line, column, referralId, value, message));
            return;
        }
        if (severity == Severity.Error) Errors++; else Warnings++;
        Dropped++;
    }
}

/// <summary>
/// A finding's message, formatted only when the finding will be kept: a file can draw hundreds of thousands of
/// one warning, and past the kept ones only their count is needed.
/// </summary>
[InterpolatedStringHandler]
public ref struct FindingMessage
{
    private DefaultInterpolatedStringHandler text;
    private readonly bool kept;

    public FindingMessage(int literalLength, int formattedCount, FindingSink sink, out bool shouldAppend)
    {
        kept = shouldAppend = sink.KeepsAnother;
        if (kept) text = new DefaultInterpolatedStringHandler(literalLength, formattedCount, CultureInfo.InvariantCulture);
    }

    internal FindingMessage(int literalLength, int formattedCount, RowFindings row, out bool shouldAppend)
        : this(literalLength, formattedCount, row.Sink, out shouldAppend) { }

    public void AppendLiteral(string value) => text.AppendLiteral(value);

    public void AppendFormatted<T>(T value) => text.AppendFormatted(value);

    public void AppendFormatted<T>(T value, string? format) => text.AppendFormatted(value, format);

    /// <summary>The message, or null when the finding is only counted.</summary>
    public string? ToStringAndClear() => kept ? text.ToStringAndClear() : null;
}

/// <summary>One row's findings: its line, and its referral id where that is fit to echo, given once.</summary>
internal readonly struct RowFindings(FindingSink sink, int line, string? referralId)
{
    public FindingSink Sink => sink;

    public void Error(string code, string column, string? value, string message) =>
        sink.Error(code, line, column, referralId, value is null ? null : ReturnFormat.Echo(value), message);

    public void Error(string code, string column, string? value, [InterpolatedStringHandlerArgument("")] ref FindingMessage message) =>
        sink.Error(code, line, column, referralId, value is null ? null : ReturnFormat.Echo(value), ref message);

    public void Warning(string code, string? column, string message) => sink.Warning(code, line, column, referralId, null, message);

    public void Warning(string code, string? column, [InterpolatedStringHandlerArgument("")] ref FindingMessage message) =>
        sink.Warning(code, line, column, referralId, null, ref message);
}

/// <summary>What the database knows that one file cannot: the provider's previous return and recent volumes.</summary>
public sealed record ValidationContext(HashSet<UInt128> PreviousOpenReferralKeys, ReturnPeriod? PreviousPeriod, IReadOnlyList<int> PreviousMonthlyReferrals)
{
    public static readonly ValidationContext None = new([], null, []);
}

/// <summary>The findings, and the rows held for storing (<c>null</c> when the file could not be read as rows).</summary>
public sealed record ValidationOutcome(FindingSink Findings, int Rows, FileScan Scan, StagedReturn? Staged)
{
    public bool Accepted => Findings.Errors == 0;
}

/// <summary>
/// Applies every rule of return format v1 to a file, streaming: the same code serves the dry run and the job.
/// <see cref="Validate"/> is the full check, and holds the rows it checked, keyed, for storing (<see cref="StagedReturn"/>).
/// </summary>
public sealed class ReturnValidator(ReturnLimits limits, Pseudonymiser pseudonymiser)
{
    public ValidationOutcome Validate(Func<Stream> open, string providerCode, ReturnPeriod period, DateOnly today,
        ValidationContext context, Action<int, int>? progress = null)
    {
        var findings = new FindingSink(limits.MaxFindingsKept);
        FileScan scan;
        using (var stream = open()) scan = ReturnFile.Scan(stream);

        if (period.FirstDay > today)
            findings.Error(RuleCode.InvalidPeriod, null, null, null, period.ToString(), $"The return is for {period}, which has not started yet.");
        if (scan.Unreadable is not null)
        {
            findings.Error(RuleCode.NotTextCsv, null, null, null, null, scan.Unreadable);
            return new(findings, 0, scan, null);
        }
        if (scan.Bytes == 0)
        {
            findings.Error(RuleCode.EmptyFile, null, null, null, null, "The file is empty.");
            return new(findings, 0, scan, null);
        }
        if (scan.Bytes > limits.MaxBytes)
        {
            findings.Error(RuleCode.OverLimit, null, null, null, null, $"The file is {scan.Bytes:N0} bytes; the limit is {limits.MaxBytes:N0}.");
            return new(findings, 0, scan, null);
        }

        var staged = new StagedReturn();
        var referralsInPeriod = 0;
        var rows = 0;
        int? overLimitLine = null;
        using var keyer = pseudonymiser.For(providerCode);
        using (var stream = open())
        {
            // Reading and checking the CSV runs a batch ahead of keying the rows, one core each.
            foreach (var row in ReadAhead.Of(Read(stream, scan.Encoding!, period, findings).Take(limits.MaxRows + 1)))
            {
                if (++rows > limits.MaxRows)
                {
                    overLimitLine = row.Line;
                    break;
                }
                ref var referral = ref staged.Add(row);
                keyer.ReferralKey(row.ReferralId, referral.ReferralKey);
                keyer.ClientKey(row.ClientId, referral.ClientKey);
                if (row.ReferralDate is { } referred && referred >= period.FirstDay && referred <= period.LastDay) referralsInPeriod++;
                context.PreviousOpenReferralKeys.Remove(BitConverter.ToUInt128(referral.ReferralKey));
                if (rows % 10_000 == 0) progress?.Invoke(rows, scan.Lines);
            }
        }
        if (overLimitLine is not null)
            findings.Error(RuleCode.OverLimit, overLimitLine, null, null, null, $"The file has more than {limits.MaxRows:N0} rows, the limit. Nothing was stored.");
        progress?.Invoke(staged.Count, scan.Lines);
        if (rows == 0 && findings.Errors == 0)
            findings.Error(RuleCode.EmptyFile, null, null, null, null, "The file has a header row but no referrals. A return lists every referral open at any time in the month.");
        if (findings.Errors > 0 && rows == 0) return new(findings, rows, scan, null);

        CheckAcrossRows(staged, findings);

        if (context.PreviousOpenReferralKeys.Count > 0 && context.PreviousPeriod is { } previousPeriod)
            findings.Warning(RuleCode.MissingFromLastMonth, null, ReferralId, null, null,
                $"{context.PreviousOpenReferralKeys.Count} referral(s) open in your {previousPeriod} return are missing from this one and have no discharge date. Records must not vanish: send them with their discharge date.");

        var history = context.PreviousMonthlyReferrals;
        if (history.Count >= 3 && Infrastructure.Median.Of(history.ToArray()) is { } median)
        {
            if (median > 0 && (referralsInPeriod > 3 * median || referralsInPeriod < median / 3))
                findings.Warning(RuleCode.UnusualVolume, null, ReferralDate, null, referralsInPeriod.ToString(CultureInfo.InvariantCulture),
                    $"{referralsInPeriod} new referrals in {period}, against a median of {median:0.#} a month over your previous {history.Count} months. Check the file is complete and for the right month.");
        }
        findings.PutInFileOrder();
        return new(findings, staged.Count, scan, staged);
    }

    /// <summary>The checks that compare rows with each other, once every row is read (one sort buffer serves both).</summary>
    internal static void CheckAcrossRows(StagedReturn staged, FindingSink findings)
    {
        var (sort, buffer) = (new RowSort(staged.Count), new ulong[staged.Count]);
        CheckDuplicateReferrals(staged, findings, sort, buffer);
        CheckOverlappingEpisodes(staged, findings, sort, buffer);
    }

    /// <summary>R004, by sorting the keys: this also gives the order the rows are stored in (the database's memcmp order).</summary>
    private static void CheckDuplicateReferrals(StagedReturn staged, FindingSink findings, RowSort sort, ulong[] buffer)
    {
        var rows = buffer.AsSpan(0, staged.Count);
        for (var i = 0; i < rows.Length; i++) rows[i] = sort.Pack(staged[i].ReferralKey, i);
        sort.Sort(rows, (a, b) => Compare(staged[a].ReferralKey, staged[b].ReferralKey), run =>
        {
            var first = 0;
            for (var i = 1; i < run.Length; i++)
            {
                ref var duplicate = ref staged[sort.Index(run[i])];
                ref var earliest = ref staged[sort.Index(run[first])]; // the first line with this key
                if (Compare(duplicate.ReferralKey, earliest.ReferralKey) != 0) { first = i; continue; }
                findings.Error(RuleCode.RepeatedReferral, duplicate.Line, ReferralId, staged.ReferralIdOf(duplicate), null,
                    $"This referral_id is also on line {earliest.Line}; each referral must appear once.");
            }
        });
        var keyOrder = new int[rows.Length];
        for (var i = 0; i < rows.Length; i++) keyOrder[i] = sort.Index(rows[i]);
        staged.KeyOrder = keyOrder;
    }

    /// <summary>W004: two referrals of one client open at the same time.</summary>
    private static void CheckOverlappingEpisodes(StagedReturn staged, FindingSink findings, RowSort sort, ulong[] buffer)
    {
        var count = 0;
        for (var i = 0; i < staged.Count; i++)
            if (staged[i].ReferralDate != default) buffer[count++] = sort.Pack(staged[i].ClientKey, i);
        // Each client's referrals by start date: one that starts before the one before it ends overlaps it.
        sort.Sort(buffer.AsSpan(0, count), (a, b) =>
            Compare(staged[a].ClientKey, staged[b].ClientKey) is var c and not 0 ? c : staged[a].ReferralDate.CompareTo(staged[b].ReferralDate), run =>
        {
            for (var i = 1; i < run.Length; i++)
            {
                ref var previous = ref staged[sort.Index(run[i - 1])];
                ref var row = ref staged[sort.Index(run[i])];
                if (Compare(row.ClientKey, previous.ClientKey) != 0) continue;
                if (row.ReferralDate > (StagedReferral.Date(previous.DischargeDate) ?? DateOnly.MaxValue)) continue;
                findings.Warning(RuleCode.OverlappingReferrals, row.Line, ClientId, staged.ReferralIdOf(row), null,
                    $"This client also has the referral on line {previous.Line} open on {row.ReferralDate:yyyy-MM-dd}; check one of them should not have been closed.");
            }
        });
    }

    private static int Compare(in Key32 a, in Key32 b) => ((ReadOnlySpan<byte>)a).SequenceCompareTo(b);

    /// <summary>
    /// Rows sorted as plain numbers: the leading bits of a key above the row's index. A million of them take 8 MB
    /// and sort quickly, where (key, index) pairs took 32 MB. Rows whose leading bits agree (one referral or client,
    /// or a rare clash of bits) come out as a run, put in order by whole key among themselves.
    /// </summary>
    private readonly struct RowSort(int rows)
    {
        private readonly int indexBits = rows <= 1 ? 1 : 64 - BitOperations.LeadingZeroCount((ulong)(rows - 1));

        public ulong Pack(ReadOnlySpan<byte> key, int index) =>
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(key) >> indexBits << indexBits | (uint)index;

        public int Index(ulong packed) => (int)(packed & ((1UL << indexBits) - 1));

        /// <summary>
        /// Sorts, then orders each run of agreeing rows by <paramref name="order"/> (of row indexes; rows it finds
        /// equal stay in file order) and hands it to <paramref name="run"/>.
        /// </summary>
        public void Sort(Span<ulong> packed, Comparison<int> order, RunAction run)
        {
            packed.Sort();
            var start = 0;
            for (var i = 1; i <= packed.Length; i++)
            {
                if (i < packed.Length && packed[i] >> indexBits == packed[start] >> indexBits) continue;
                if (i - start > 1)
                {
                    var agreeing = packed[start..i];
                    var self = this;
                    agreeing.Sort((a, b) => order(self.Index(a), self.Index(b)) is var c and not 0 ? c : a.CompareTo(b));
                    run(agreeing);
                }
                start = i;
            }
        }
    }

    private delegate void RunAction(Span<ulong> run);

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
                findings.Error(RuleCode.NotTextCsv, previousEnd + 1, null, null, null, "The CSV cannot be read from this line on (a broken quoted field?).");
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
                findings.Error(RuleCode.NotTextCsv, line, null, null, null, "A quoted field that starts on this line is never closed, so the rest of the file cannot be read.");
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
        if (header is null) findings.Error(RuleCode.EmptyFile, null, null, null, null, "The file has no header row.");
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
                    findings.Warning(RuleCode.UnknownColumn, line, Echo(name), null, null, suggestion is null
                        ? $"Column '{Echo(name)}' is not part of the return format and was ignored."
                        : $"Column '{Echo(name)}' is not part of the return format and was ignored. Did you mean '{suggestion}'?");
                    continue;
                }
                var (column, job, field) = match.Value;
                if (columns.ContainsKey(column))
                {
                    findings.Error(RuleCode.RepeatedColumn, line, column, null, null, $"Column '{column}' appears more than once (columns {columns[column] + 1} and {i + 1}).");
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
                findings.Error(RuleCode.MissingColumn, line, required, null, null, $"The required column '{required}' is missing.");
                fatal = true;
            }
            var numbers = jobs.Keys.Order().ToArray();
            for (var n = 0; n < numbers.Length; n++)
            {
                if (numbers[n] != n + 1)
                {
                    findings.Error(RuleCode.JobColumnsNotConsecutive, line, JobColumn(numbers[n], "start_date"), null, null,
                        $"Job columns must be numbered 1, 2, 3 … without gaps: job_{numbers[n]}_* is there but job_{n + 1}_* is not.");
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
            var lastDay = period.LastDay;
            var referralId = Cell(record, ReferralId);
            var safeReferralId = ReferralIdPattern().IsMatch(referralId) ? referralId : null;

            // R011 first: a value that looks like an NHS number is never echoed, whatever column it is in.
            HashSet<int>? nhsColumns = null;
            for (var i = 0; i < record.Length; i++)
            {
                if (!LooksLikeNhsNumber(record[i].Trim())) continue;
                (nhsColumns ??= []).Add(i);
                var name = i < names.Length && names[i].Trim().Length > 0 ? Echo(names[i].Trim()) : $"column {i + 1}";
                findings.Error(RuleCode.NhsNumber, line, name, i == columns.GetValueOrDefault(ReferralId, -1) ? null : safeReferralId, null,
                    "This value looks like an NHS number. Returns must be pseudonymised: remove NHS numbers and use your own ids.");
            }
            bool IsNhs(string column) => nhsColumns is not null && columns.TryGetValue(column, out var index) && nhsColumns.Contains(index);

            var report = new RowFindings(findings, line, safeReferralId);

            if (referralId.Length == 0) report.Error(RuleCode.RequiredValueEmpty, ReferralId, null, "referral_id is empty.");
            else if (!IsNhs(ReferralId) && safeReferralId is null)
                report.Error(RuleCode.BadIdentifier, ReferralId, null, "referral_id must be 1 to 64 letters, digits or - _ . / characters.");
            var clientId = Cell(record, ClientId);
            if (clientId.Length == 0) report.Error(RuleCode.RequiredValueEmpty, ClientId, null, "client_id is empty.");
            else if (!IsNhs(ClientId) && (clientId.Length > 64 || clientId.Any(char.IsControl)))
                report.Error(RuleCode.BadIdentifier, ClientId, null, "client_id must be 1 to 64 characters with no control characters.");

            var row = new ReturnRow { Line = line, ReferralId = referralId, SafeReferralId = safeReferralId, ClientId = clientId };

            DateOnly? Date(string column, bool required)
            {
                var text = Cell(record, column);
                if (text.Length == 0)
                {
                    if (required) report.Error(RuleCode.RequiredValueEmpty, column, null, $"{column} is empty.");
                    return null;
                }
                if (IsNhs(column)) return null;
                switch (TryParseDate(text, out var date))
                {
                    case DateProblem.None:
                        if (date > lastDay)
                        {
                            report.Error(RuleCode.DateAfterPeriod, column, text, $"{column} {date:yyyy-MM-dd} is after the end of the return's month ({lastDay:yyyy-MM-dd}).");
                            return null;
                        }
                        return date;
                    case DateProblem.TwoDigitYear:
                        report.Error(RuleCode.UnreadableDate, column, text, $"{column} '{Echo(text)}' has a two-digit year; write the year in full (dd/mm/yyyy or yyyy-mm-dd).");
                        return null;
                    case DateProblem.BeforeEarliest:
                        report.Error(RuleCode.UnreadableDate, column, text, $"{column} '{Echo(text)}' is before 2000-01-01.");
                        return null;
                    default:
                        report.Error(RuleCode.UnreadableDate, column, text, $"{column} '{Echo(text)}' is not a date. Use yyyy-mm-dd or dd/mm/yyyy.");
                        return null;
                }
            }

            string? Code(string column, IReadOnlyDictionary<string, string> codes, bool required, string allowed)
            {
                var text = Cell(record, column);
                if (text.Length == 0)
                {
                    if (required) report.Error(RuleCode.RequiredValueEmpty, column, null, $"{column} is empty.");
                    return null;
                }
                if (IsNhs(column)) return null;
                var code = MatchCode(codes, text);
                if (code is null) report.Error(RuleCode.UnknownCode, column, text, $"{column} '{Echo(text)}' is not one of: {allowed}.");
                return code;
            }

            row.ReferralDate = Date(ReferralDate, required: true);
            row.ReferralSource = Code(ReferralSource, ReferralSources, false, "secondary_mental_health, primary_care, drug_alcohol, self, other");
            var ethnicity = Cell(record, EthnicCategory);
            if (ethnicity.Length == 0)
                report.Warning(RuleCode.EthnicityEmpty, EthnicCategory, "ethnic_category is empty and was read as 99 (not known). Record it where you can.");
            else row.EthnicCategory = Code(EthnicCategory, EthnicCategories, false, "A-S (NHS Data Dictionary), Z (not stated), 99 (not known)") ?? "99";
            row.Gender = Code(Gender, Genders, false, "1 (male), 2 (female), 9 (indeterminate), X (not known)");
            var age = Cell(record, AgeAtReferral);
            if (age.Length > 0 && !IsNhs(AgeAtReferral))
            {
                if (int.TryParse(age, NumberStyles.None, CultureInfo.InvariantCulture, out var years) && years is >= 16 and <= 100) row.AgeAtReferral = years;
                else report.Error(RuleCode.NumberOutOfRange, AgeAtReferral, age, $"age_at_referral '{Echo(age)}' must be a whole number from 16 to 100.");
            }
            row.EmploymentStatus = Code(EmploymentStatus, EmploymentStatuses, true, "unemployed, economically_inactive, employed");
            row.FirstContactDate = Date(FirstContactDate, false);
            row.FirstEmployerContactDate = Date(FirstEmployerContactDate, false);
            row.DischargeDate = Date(DischargeDate, false);
            row.DischargeReason = Code(DischargeReason, DischargeReasons, false, "in_work_support_ended, disengaged, declined, moved_away, other");

            if (row.ReferralDate is { } referred)
            {
                if (row.FirstContactDate < referred)
                    report.Error(RuleCode.ContactBeforeReferral, FirstContactDate, null, $"first_contact_date {row.FirstContactDate:yyyy-MM-dd} is before referral_date {referred:yyyy-MM-dd}.");
                if (row.FirstEmployerContactDate < referred)
                    report.Error(RuleCode.EmployerContactBeforeReferral, FirstEmployerContactDate, null, $"first_employer_contact_date {row.FirstEmployerContactDate:yyyy-MM-dd} is before referral_date {referred:yyyy-MM-dd}.");
                if (row.DischargeDate < referred)
                    report.Error(RuleCode.DischargeTooEarly, DischargeDate, null, $"discharge_date {row.DischargeDate:yyyy-MM-dd} is before referral_date {referred:yyyy-MM-dd}.");
            }
            if (row.DischargeDate < row.FirstContactDate)
                report.Error(RuleCode.DischargeTooEarly, DischargeDate, null, $"discharge_date {row.DischargeDate:yyyy-MM-dd} is before first_contact_date {row.FirstContactDate:yyyy-MM-dd}.");
            if (row.DischargeDate < period.FirstDay)
                report.Warning(RuleCode.ClosedBeforePeriod, DischargeDate,
                    $"This referral was closed on {row.DischargeDate:yyyy-MM-dd}, before {period}: kept as restated history.");

            foreach (var number in jobNumbers)
            {
                var (startColumn, endColumn, hoursColumn, typeColumn) = jobColumns[number];
                var start = startColumn is null ? null : Date(startColumn, false);
                var end = endColumn is null ? null : Date(endColumn, false);
                double? hours = null;
                var hoursText = hoursColumn is null ? "" : Cell(record, hoursColumn);
                if (hoursText.Length > 0 && !IsNhs(hoursColumn!))
                {
                    if (double.TryParse(hoursText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var h) && h > 0 && h <= 80) hours = h;
                    else report.Error(RuleCode.NumberOutOfRange, hoursColumn!, hoursText, $"{hoursColumn} '{Echo(hoursText)}' must be a number of hours above 0 and at most 80.");
                }
                var typeText = typeColumn is null ? "" : Cell(record, typeColumn);
                var type = typeText.Length == 0 ? null : Code(typeColumn!, JobTypes, false, "competitive, self_employed, other_paid");
                if (start is not { } started) continue;
                if (typeText.Length == 0)
                    report.Error(RuleCode.JobWithoutType, JobColumn(number, "type"), null, $"Job {number} has a start date but no {JobColumn(number, "type")}.");
                if (row.ReferralDate is { } referralDate && started < referralDate)
                    report.Error(RuleCode.JobBeforeReferral, startColumn!, null, $"Job {number} starts on {started:yyyy-MM-dd}, before referral_date {referralDate:yyyy-MM-dd}.");
                if (end < started)
                    report.Error(RuleCode.JobEndsBeforeStart, endColumn!, null, $"Job {number} ends on {end:yyyy-MM-dd}, before it starts on {started:yyyy-MM-dd}.");
                if (row.DischargeDate < started)
                    report.Warning(RuleCode.JobAfterDischarge, startColumn,
                        $"Job {number} starts on {started:yyyy-MM-dd}, after the referral was discharged on {row.DischargeDate:yyyy-MM-dd}.");
                row.Jobs.Add(new ReturnJob(number, started, end, hours, type));
            }
            return row;
        }
    }
}
