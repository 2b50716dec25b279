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
    private bool KeepsAnother => findings.Count < kept;

    public void Add(FindingText text, int? line, string? column, string? referralId, string? value) =>
        Add(text, line, column, referralId, value, KeepsAnother ? text.Format() : null);

    public void Add<T0>(FindingText text, int? line, string? column, string? referralId, string? value, T0 a) =>
        Add(text, line, column, referralId, value, KeepsAnother ? text.Format(a) : null);

    public void Add<T0, T1>(FindingText text, int? line, string? column, string? referralId, string? value, T0 a, T1 b) =>
        Add(text, line, column, referralId, value, KeepsAnother ? text.Format(a, b) : null);

    public void Add<T0, T1, T2>(FindingText text, int? line, string? column, string? referralId, string? value, T0 a, T1 b, T2 c) =>
        Add(text, line, column, referralId, value, KeepsAnother ? text.Format(a, b, c) : null);

    public void Add<T0, T1, T2,
        T3>(FindingText text, int? line, string? column, string? referralId, string? value, T0 a, T1 b, T2 c, T3 d) =>
        Add(text, line, column, referralId, value, KeepsAnother ? text.Format(a, b, c, d) : null);

    private void Add(FindingText text, int? line, string? column, string? referralId, string? value, string? message)
    {
        if (message is not null)
        {
            Add(new Finding(text.Code, text.Severity, line, column, referralId, value, message));
            return;
        }
        if (text.Severity == Severity.Error) Errors++; else Warnings++;
        Dropped++;
    }
}

/// <summary>One row's findings: its line, and its referral id where that is fit to echo, given once.</summary>
internal readonly struct RowFindings(FindingSink sink, int line, string? referralId)
{
    private static string? Echoed(string? value) => value is null ? null : ReturnFormat.Echo(value);

    public void Add(FindingText text, string column, string? value = null) =>
        sink.Add(text, line, column, referralId, Echoed(value));

    public void Add<T0>(FindingText text, string column, string? value, T0 a) =>
        sink.Add(text, line, column, referralId, Echoed(value), a);

    public void Add<T0, T1>(FindingText text, string column, string? value, T0 a, T1 b) =>
        sink.Add(text, line, column, referralId, Echoed(value), a, b);

    public void Add<T0, T1, T2>(FindingText text, string column, string? value, T0 a, T1 b, T2 c) =>
        sink.Add(text, line, column, referralId, Echoed(value), a, b, c);
}
