using IpsOutcomes.Indicators;
using IpsOutcomes.MonthEnd;

namespace IpsOutcomes.Pages.Commission;

/// <summary>The figures at the top of the dashboard and the board paper: every indicator's spine, and the month's returns.</summary>
public sealed record Summary(ScopeChoice Scope, string Month, SpineReport? Spine, ReportingRate? Returns)
{
    public SpineEntry? Entry(string indicator) => Spine?.Indicators.FirstOrDefault(e => e.Indicator == indicator);

    /// <summary>How far through the year's access target the organisation is, in words.</summary>
    public string AgainstTarget => Entry("accessed_vs_target_pct")?.Value is { } share
        ? $"{PlainEnglish.InUnit(share, Unit.Percent)} of the year's access target so far."
        : "No access target is loaded for this organisation and year.";

    /// <summary>An indicator against one comparator, in words ("Better than England (36.4%)"); empty where there is none.</summary>
    public string Against(string indicator, string comparator) =>
        Entry(indicator) is { } entry && entry.Comparisons.FirstOrDefault(c => c.Comparator == comparator) is { } c
            ? PlainEnglish.Against(c, entry.Unit) : "";

    /// <summary>An indicator against every comparator it was compared with, in words.</summary>
    public static string Compared(SpineEntry entry) =>
        string.Join(". ", entry.Comparisons.Where(c => c.Outcome != Outcome.NotCompared).Select(c => PlainEnglish.Against(c, entry.Unit)));

    /// <summary>The SPC reading of the last 24 months in words: its variation, then its assurance where there is a target.</summary>
    public static string Reading(SpineEntry entry) =>
        string.Join("; ", new[] { entry.Variation, (Enum?)entry.Assurance }.OfType<Enum>().Select(value => Charts.ChartFrame.Words(value)));
}
