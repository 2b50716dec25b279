using IpsOutcomes.Returns;
using IpsOutcomes.Submissions;

namespace IpsOutcomes.MonthEnd;

/// <summary>One upload for a provider and month, as completeness sees it.</summary>
public sealed record ReturnAttempt(long SubmissionId, SubmissionStatus Status, DateTimeOffset UploadedAt, int? RowCount, int WarningCount);

public sealed record ProviderCompleteness(
    string ProviderCode, string ProviderName, string IcbCode, string Period, DateOnly DueDate,
    [property: CsvHelper.Configuration.Attributes.TypeConverter(typeof(Infrastructure.SnakeCaseCsv<ReturnState>))] ReturnState Status,
        bool PastDue,
    long? SubmissionId, DateTimeOffset? FirstAcceptedUploadAt, int? RowCount, int? WarningCount, double? EthnicityRecordedPct);

public sealed record ReportingRate(string Period, int Expected, int Actual, int OnTime, double? ActualPct, double? OnTimePct);

/// <summary>Completeness and timeliness, as pure functions: which returns came, and when.</summary>
public static class Completeness
{
    /// <summary>The day a month's return is due: a configurable day of the following month (15th by default).</summary>
    public static DateOnly DueDate(ReturnPeriod period, int dueDay) =>
        period.LastDay.AddDays(Math.Min(dueDay, DateTime.DaysInMonth(period.LastDay.AddDays(1).Year, period.LastDay.AddDays(1).Month)));

    /// <summary>
    /// on_time: the first return that was ever accepted was uploaded on or before the due day; late: after it;
    /// rejected_only: tried, nothing accepted (yet); missing: nothing uploaded. The time that counts is the upload,
    /// not the end of validation: the service's part was done then.
    /// </summary>
    public static ReturnState Classify(IReadOnlyCollection<ReturnAttempt> attempts, DateOnly dueDate)
    {
        var firstAccepted = attempts.Where(a => a.Status.WasAccepted()).OrderBy(a => a.UploadedAt).FirstOrDefault();
        if (firstAccepted is not null)
            return DateOnly.FromDateTime(firstAccepted.UploadedAt.UtcDateTime) <= dueDate ? ReturnState.OnTime : ReturnState.Late;
        return attempts.Count > 0 ? ReturnState.RejectedOnly : ReturnState.Missing;
    }

    public static ReportingRate Rate(string period, IReadOnlyCollection<ProviderCompleteness> providers)
    {
        var expected = providers.Count;
        var actual = providers.Count(p => p.Status is ReturnState.OnTime or ReturnState.Late);
        var onTime = providers.Count(p => p.Status == ReturnState.OnTime);
        return new ReportingRate(period, expected, actual, onTime,
            expected == 0 ? null : Math.Round(100.0 * actual / expected, 1),
                expected == 0 ? null : Math.Round(100.0 * onTime / expected, 1));
    }
}
