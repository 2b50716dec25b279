using System.Globalization;
using System.Runtime.CompilerServices;

namespace IpsOutcomes.Returns;

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
