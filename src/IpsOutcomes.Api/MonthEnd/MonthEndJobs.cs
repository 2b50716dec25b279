using Dapper;
using Hangfire;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Returns;
using IpsOutcomes.Webhooks;

namespace IpsOutcomes.MonthEnd;

/// <summary>
/// Daily: record each return that has fallen overdue, once (the primary key makes a second run change nothing), and
/// tell the ICB's webhooks; looks back three months so a day or two of downtime misses nothing.
/// </summary>
public sealed class OverdueReturns(Database database, WebhookOutbox outbox, IConfiguration configuration, TimeProvider clock, ILogger<OverdueReturns> logger)
{
    internal static readonly Sql SelectNewlyOverdue = Sql.Portable("""
        SELECT p.code AS ProviderCode, p.icb_code AS IcbCode FROM providers p
        WHERE p.active_from <= @lastDay AND (p.active_to IS NULL OR p.active_to >= @firstDay)
          AND NOT EXISTS (SELECT 1 FROM submissions s WHERE s.provider_code = p.code AND s.period = @period AND s.status IN ('accepted', 'superseded'))
          AND NOT EXISTS (SELECT 1 FROM overdue_returns o WHERE o.provider_code = p.code AND o.period = @period)
        """);

    internal static readonly Sql Insert = Sql.Portable("""
        INSERT INTO overdue_returns (provider_code, period, due_date, recorded_at) VALUES (@provider, @period, @due, @now)
        """);

    private sealed class Overdue
    {
        public string ProviderCode { get; init; } = "";
        public string IcbCode { get; init; } = "";
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
            foreach (var overdue in await database.QueryAsync<Overdue>(SelectNewlyOverdue,
                         new { period = period.ToString(), firstDay = period.FirstDay, lastDay = period.LastDay }, cancellationToken))
            {
                await using var connection = await database.OpenAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                try
                {
                    await connection.ExecuteAsync(database[Insert], new { provider = overdue.ProviderCode, period = period.ToString(), due, now = clock.GetUtcNow() }, transaction);
                }
                catch (Exception exception) when (Database.IsUniqueViolation(exception))
                {
                    continue; // another run recorded it first
                }
                var deliveries = await outbox.AddAsync(connection, transaction, overdue.IcbCode, "return.overdue", new Dictionary<string, object?>
                {
                    ["provider_code"] = overdue.ProviderCode,
                    ["period"] = period.ToString(),
                    ["due_date"] = due,
                });
                await transaction.CommitAsync(cancellationToken);
                outbox.Dispatch(deliveries);
                logger.LogInformation("Return for {Provider} {Period} is overdue (due {Due})", overdue.ProviderCode, period, due);
            }
        }
    }
}

/// <summary>Daily: delete, after <c>Retention:Days</c> (90), the findings of superseded and rejected submissions, and any upload left behind.</summary>
public sealed class Retention(Database database, IConfiguration configuration, TimeProvider clock, ILogger<Retention> logger)
{
    internal static readonly Sql DeleteOldFindings = Sql.Portable("""
        DELETE FROM findings WHERE submission_id IN (
            SELECT id FROM submissions WHERE status IN ('superseded', 'rejected') AND processed_at < @cutoff)
        """);

    internal static readonly Sql DeleteLeftoverUploads = Sql.Portable("""
        DELETE FROM uploads WHERE created_at < @cutoff AND id NOT IN (SELECT upload_id FROM submissions WHERE upload_id IS NOT NULL)
        """);

    [AutomaticRetry(Attempts = 3)]
    public async Task PruneAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var findings = await database.ExecuteAsync(DeleteOldFindings, new { cutoff = now.AddDays(-configuration.GetValue("Retention:Days", 90)) }, cancellationToken);
        var uploads = await database.ExecuteAsync(DeleteLeftoverUploads, new { cutoff = now.AddDays(-1) }, cancellationToken);
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
