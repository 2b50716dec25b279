using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Webhooks;

/// <summary>The outbox and its delivery, registered by the room that owns them (Submissions and Fidelity write events into it).</summary>
public static class WebhooksSetup
{
    public static WebApplicationBuilder AddWebhooks(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<WebhookOutbox>();
        builder.Services.AddSingleton<WebhookStore>();
        builder.Services.AddTransient<WebhookDelivery>();
        builder.Services.AddHostedService<WebhookRecovery>();
        builder.Services.AddHttpClient("webhooks", client => client.Timeout = TimeSpan.FromSeconds(builder.Configuration.GetValue("Webhooks:TimeoutSeconds", 10)))
            .ConfigurePrimaryHttpMessageHandler(() => WebhookEgress.Handler(builder.Configuration.GetValue("Webhooks:AllowPrivateAddresses", false)));
        return builder;
    }
}

/// <summary>
/// Re-queues the deliveries a stopped process left pending. The embedded job storage is in memory, so its queue is
/// lost with the process; SQL Server's job storage keeps its own.
/// </summary>
public sealed class WebhookRecovery(Database database, WebhookOutbox outbox) : StartupTask
{
    internal static readonly Sql SelectPending = Sql.Portable("SELECT id FROM webhook_deliveries WHERE status = 'pending' ORDER BY id");

    public override async Task StartedAsync(CancellationToken cancellationToken)
    {
        if (database.Provider == DatabaseProvider.Sqlite)
            outbox.Dispatch(await database.QueryAsync<long>(SelectPending, null, cancellationToken));
    }
}
