using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.MonthEnd;

/// <summary>
/// A month's return as completeness sees it: on time (the first accepted upload by the due day), late, rejected only
/// (tried, nothing accepted yet) or missing (nothing uploaded; "not yet due" before the due day). Served snake_case.
/// </summary>
public enum ReturnState { OnTime, Late, RejectedOnly, Missing }

/// <summary>How a return's state is shown wherever it is shown (the home page's tags, the grid, its table): one set of words, one
/// colour.</summary>
public sealed record ReturnStateLook(string Words, string Letter, StateColour Colour)
{
    public static ReturnStateLook Of(ReturnState state, bool pastDue) => state switch
    {
        ReturnState.OnTime => new("On time", "O", StateColour.Green),
        ReturnState.Late => new("Late", "L", StateColour.Yellow),
        ReturnState.RejectedOnly => new("Rejected only", "R", StateColour.Orange),
        ReturnState.Missing when pastDue => new("Missing", "M", StateColour.Red),
        _ => new("Not sent yet", "D", StateColour.White),
    };

    /// <summary>The class a chart's cell carries: the state's name, or not_yet_due for a return not due yet.</summary>
    public static string Name(ReturnState state, bool pastDue) =>
        state == ReturnState.Missing && !pastDue ? "not_yet_due" : CsvOutput.SnakeCase(state);
}
