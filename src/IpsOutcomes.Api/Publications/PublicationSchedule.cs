using Hangfire;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Returns;

namespace IpsOutcomes.Publications;

/// <summary>
/// When each month's publications are cut: the provisional one on <c>Publications:ProvisionalDay</c> of the following month (default
/// the 20th, five days after returns are due), the final one on <c>Publications:FinalDay</c> of the month after (default the 20th),
/// both at <c>Publications:CutHour</c> UTC (default 7). Every hour the job server plans what is due and cuts what is planned.
/// Only the latest month due of each kind is planned: a new installation does not cut its history as if it had been published.
/// Then the row-level state past its retention goes (<see cref="PublicationRetention"/>).
/// </summary>
public sealed class PublicationSchedule(Database database, PublicationStore store, PublicationCut cut, PublicationRetention retention,
    IConfiguration configuration, TimeProvider clock, ILogger<PublicationSchedule> logger)
{
    public DateTimeOffset CutTime(string kind, ReturnPeriod month)
    {
        var (monthsAfter, day) = kind == PublicationKinds.Provisional
            ? (1, configuration.GetValue("Publications:ProvisionalDay", 20))
            : (2, configuration.GetValue("Publications:FinalDay", 20));
        var first = month.FirstDay.AddMonths(monthsAfter);
        var date = first.AddDays(Math.Clamp(day, 1, DateTime.DaysInMonth(first.Year, first.Month)) - 1);
        return new DateTimeOffset(date.ToDateTime(new TimeOnly(Math.Clamp(configuration.GetValue("Publications:CutHour", 7), 0, 23), 0)),
            TimeSpan.Zero);
    }

    /// <summary>The latest month of each kind whose cut time has passed.</summary>
    public IEnumerable<(string Kind, ReturnPeriod Month)> Due(DateTimeOffset now)
    {
        foreach (var kind in new[] { PublicationKinds.Provisional, PublicationKinds.Final })
        {
            var month = ReturnPeriod.FromDate(DateOnly.FromDateTime(now.UtcDateTime));
            for (var k = 0; k < 4 && CutTime(kind, month) > now; k++) month = month.Previous;
            if (CutTime(kind, month) <= now) yield return (kind, month);
        }
    }

    public async Task RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        foreach (var (kind, month) in Due(now))
        {
            var name = PublicationKinds.NameOf(month, kind);
            if (await store.FindAsync(name, ct) is not null) continue;
            await using var connection = await database.OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await store.PlanAsync(connection, transaction, name, kind, month.ToString(), now, null);
            await transaction.CommitAsync(ct);
            logger.LogInformation("Publication {Name} planned", name);
        }
        foreach (var planned in await store.UncutAsync(ct)) await cut.CutAsync(planned.Id, ct);
        await retention.PurgeAsync(ct);
    }
}

public static class PublicationKinds
{
    public const string Provisional = "provisional", Final = "final", Extra = "extra";

    public static string NameOf(ReturnPeriod month, string kind) => $"{month}-{kind}";
}

/// <summary>Registers the hourly publications job (visible in the dashboard).</summary>
public sealed class PublicationJobs(IRecurringJobManager recurring) : StartupTask
{
    public override Task StartedAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<PublicationSchedule>("publications", job => job.RunAsync(CancellationToken.None), Cron.Hourly(5));
        return Task.CompletedTask;
    }
}
