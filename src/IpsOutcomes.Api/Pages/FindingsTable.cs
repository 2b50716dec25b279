using IpsOutcomes.Returns;

namespace IpsOutcomes.Pages;

/// <summary>Findings as the pages show them: a dry run's and a stored submission's alike.</summary>
public sealed record FindingsTable(
    IReadOnlyList<(string Code, Severity Severity, int? Line, string? Column, string? Value, string Message)> Rows, bool WithValues,
        string? Note);
