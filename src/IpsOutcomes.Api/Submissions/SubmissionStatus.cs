using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Submissions;

/// <summary>
/// Where a submission is in its life: queued, validating, then accepted or rejected (or failed, and retried); an
/// accepted return is superseded when a later one for the same month is accepted. Stored and served snake_case.
/// </summary>
public enum SubmissionStatus { Queued, Validating, Accepted, Rejected, Failed, Superseded }

public static class SubmissionStatuses
{
    /// <summary>The status as the database stores it and the API names it: queued, validating, accepted...</summary>
    public static string Name(this SubmissionStatus status) => CsvOutput.SnakeCase(status);

    /// <summary>The statuses by name, for a filter in a query string.</summary>
    public static readonly IReadOnlyDictionary<string, SubmissionStatus> ByName =
        Enum.GetValues<SubmissionStatus>().ToDictionary(Name);

    /// <summary>Accepted, rejected or superseded: the service has finished with it.</summary>
    public static bool IsDecided(this SubmissionStatus status) =>
        status is SubmissionStatus.Accepted or SubmissionStatus.Rejected or SubmissionStatus.Superseded;

    /// <summary>Accepted once, whether or not a later return for the month has since replaced it.</summary>
    public static bool WasAccepted(this SubmissionStatus status) => status is SubmissionStatus.Accepted or SubmissionStatus.Superseded;

    /// <summary>How a status is shown wherever it is shown: the words a service manager reads, and its tag's colour.</summary>
    public static (string Words, StateColour Colour) Look(this SubmissionStatus status) => status switch
    {
        SubmissionStatus.Queued => ("Waiting to be checked", StateColour.Blue),
        SubmissionStatus.Validating => ("Being checked", StateColour.Blue),
        SubmissionStatus.Accepted => ("Accepted", StateColour.Green),
        SubmissionStatus.Rejected => ("Rejected", StateColour.Red),
        SubmissionStatus.Failed => ("Not processed yet", StateColour.Orange),
        _ => ("Replaced by a later return", StateColour.Grey),
    };
}
