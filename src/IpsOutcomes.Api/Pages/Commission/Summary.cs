using IpsOutcomes.Indicators;
using IpsOutcomes.MonthEnd;

namespace IpsOutcomes.Pages.Commission;

/// <summary>The figures at the top of the dashboard and the board paper: every indicator's spine, and the month's returns.</summary>
public sealed record Summary(ScopeChoice Scope, string Month, SpineReport? Spine, ReportingRate? Returns)
{
    public SpineEntry? Entry(string indicator) => Spine?.Indicators.FirstOrDefault(e => e.Indicator == indicator);
}
