using Dapper;
using Hangfire;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Organisations;
using IpsOutcomes.Returns;
using IpsOutcomes.Submissions;
using IpsOutcomes.Webhooks;

namespace IpsOutcomes.MonthEnd;

/// <summary>
/// Daily: record each return that has fallen overdue, once (the primary key makes a second run change nothing), and
/// tell the ICB's webhooks; looks back three months so a day or two of downtime misses nothing.
/// </summary>
public sealed class OverdueReturns(Database database, OrganisationStore register, SubmissionStore submissions, WebhookOutbox outbox,
    IConfiguration configuration, TimeProvider clock, ILogger<OverdueReturns> logger)
{
    internal static readonly Sql SelectRecorded = Sql.Portable("SELECT provider_code FROM overdue_returns WHERE period = @period");

    internal static readonly Sql Insert = Sql.Portable("""
        INSERT INTO overdue_returns (provider_code, period, due_date, recorded_at) VALUES (@provider, @period, @due, @now)
        """);

    /// <summary>The providers active in the month with no return for it accepted (even if since superseded) and not yet recorded
    /// overdue.</summary>
    private async Task<IEnumerable<Provider>> NewlyOverdueAsync(ReturnPeriod period, CancellationToken cancellationToken)
    {
        var returned = (await submissions.OfProvidersAsync(null, period, period, cancellationToken))
            .Where(s => s.Status.WasAccepted()).Select(s => s.ProviderCode).ToHashSet();
        var recorded = (await database.QueryAsync<string>(SelectRecorded, new { period = period.ToString() }, cancellationToken))
            .ToHashSet();
        return (await register.ProvidersAsync(cancellationToken))
            .Where(p => p.ActiveFrom <= period.LastDay && (p.ActiveTo is null || p.ActiveTo >= period.FirstDay))
            .Where(p => !returned.Contains(p.Code) && !recorded.Contains(p.Code));
    }

    [AutomaticRetry(Attempts = 3)]
    public async Task RecordAsync(CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var dueDay = configuration.GetValue("Returns:DueDay", 15);
        for (var back = 3; back >= 1; back--)
        {
            var period = ReturnPeriod.FromDate(today.AddMonths(-back));
            var due = Completeness.DueDate(period, dueDay);
            if (today <= due) continue;
            foreach (var overdue in await NewlyOverdueAsync(period, cancellationToken))
            {
                await using var connection = await database.OpenAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                try
                {
                    await connection.ExecuteAsync(database[Insert],
                        new { provider = overdue.Code, period = period.ToString(), due, now = clock.GetUtcNow() }, transaction);
                }
                catch (Exception exception) when (Database.IsUniqueViolation(exception))
                {
                    continue; // another run recorded it first
                }
                var deliveries = await outbox.AddAsync(connection, transaction, overdue.IcbCode, "return.overdue", new Dictionary<string, object?>
                {
                    ["provider_code"] = overdue.Code,
                    ["period"] = period.ToString(),
                    ["due_date"] = due,
                });
                await transaction.CommitAsync(cancellationToken);
                outbox.Dispatch(deliveries);
                logger.LogInformation("Return for {Provider} {Period} is overdue (due {Due})", overdue.Code, period, due);
            }
        }
    }
}

/// <summary>Daily: delete, after <c>Retention:Days</c> (90), the findings of superseded and rejected submissions, and any upload left
/// behind.</summary>
public sealed class Retention(Database database, FindingStore findingStore, UploadSpool spool, IConfiguration configuration,
    TimeProvider clock, ILogger<Retention> logger)
{
    [AutomaticRetry(Attempts = 3)]
    public async Task PruneAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var findings = await findingStore.DeleteOfSupersededAndRejectedAsync(now.AddDays(-configuration.GetValue("Retention:Days", 90)),
            cancellationToken);
        var uploads = await spool.DeleteLeftoversAsync(now.AddDays(-1), cancellationToken);
        await database.CheckpointAsync(cancellationToken);
        logger.LogInformation("Retention removed {Findings} findings and {Uploads} leftover uploads", findings, uploads);
    }
}

/// <summary>Registers the daily jobs (visible in the dashboard).</summary>
public sealed class MonthEndSchedule(IRecurringJobManager recurring) : StartupTask
{
    public override Task StartedAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<OverdueReturns>("overdue-returns", job => job.RecordAsync(CancellationToken.None), Cron.Daily(6));
        recurring.AddOrUpdate<Retention>("retention", job => job.PruneAsync(CancellationToken.None), Cron.Daily(3));
        return Task.CompletedTask;
    }
}

public static class MonthEndSetup
{
    public static WebApplicationBuilder AddMonthEnd(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CompletenessReports>();
        builder.Services.AddTransient<OverdueReturns>();
        builder.Services.AddTransient<Retention>();
        builder.Services.AddHostedService<MonthEndSchedule>();
        return builder;
    }
}
