using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Hangfire;
using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Webhooks;

/// <summary>
/// Events for an ICB's webhooks are written in the same transaction as the change they announce (an outbox), and
/// delivered afterwards by Hangfire jobs, so a slow or dead receiver never slows an upload and an event is never
/// lost to a crash. Events carry no row data.
/// </summary>
public sealed class WebhookOutbox(Database database, IBackgroundJobClient jobs, TimeProvider clock)
{
    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    internal static readonly Sql SelectWebhooks = Sql.Portable(
        "SELECT id FROM webhooks WHERE icb_code = @icb AND deleted_at IS NULL");

    internal static readonly Sql InsertDelivery = Sql.InsertReturningId("""
            INSERT INTO webhook_deliveries (webhook_id, event_type, payload, status, created_at)
            VALUES (@webhookId, @eventType, @payload, 'pending', @now);
        """);

    /// <summary>Queues an event for every active webhook of the ICB, inside the caller's transaction; returns the deliveries.</summary>
    public async Task<IReadOnlyList<long>> AddAsync(DbConnection connection, DbTransaction transaction, string icbCode, string eventType,
        IReadOnlyDictionary<string, object?> data)
    {
        var webhooks = (await connection.QueryAsync<long>(database[SelectWebhooks], new { icb = icbCode }, transaction)).ToList();
        if (webhooks.Count == 0) return [];
        var now = clock.GetUtcNow();
        var deliveries = new List<long>();
        foreach (var webhookId in webhooks)
        {
            var payload = JsonSerializer.Serialize(new Dictionary<string, object?>(data)
            {
                ["event"] = eventType,
                ["icb_code"] = icbCode,
                ["occurred_at"] = now,
            }, Json);
            deliveries.Add(await connection.ExecuteScalarAsync<long>(database[InsertDelivery], new { webhookId, eventType, payload, now },
                transaction));
        }
        return deliveries;
    }

    /// <summary>Hands committed deliveries to Hangfire.</summary>
    public void Dispatch(IEnumerable<long> deliveries)
    {
        foreach (var id in deliveries) jobs.Enqueue<WebhookDelivery>(job => job.DeliverAsync(id, CancellationToken.None));
    }

    /// <summary>The signature header: t=unix seconds, v1=hex HMAC-SHA-256 of "t.body" under the webhook's secret.</summary>
    public static string Sign(string secret, long timestamp, string body) =>
        string.Create(CultureInfo.InvariantCulture, $"t={timestamp},v1=") +
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));
}

/// <summary>
/// Delivers one event (a Hangfire job taking the delivery's id). A failure is recorded and the job schedules its own
/// next attempt after a back-off (<c>Webhooks:RetryDelaysSeconds</c>); after the last, the delivery is <c>failed</c>.
/// Receivers should treat the X-IpsOutcomes-Delivery id as idempotency key: a retry may repeat a delivery.
/// </summary>
public sealed class WebhookDelivery(Database database, IHttpClientFactory http, IBackgroundJobClient jobs, IConfiguration configuration,
    TimeProvider clock, ILogger<WebhookDelivery> logger)
{
    internal static readonly Sql SelectDelivery = Sql.Portable("""
        SELECT d.id AS Id, d.event_type AS EventType, d.payload AS Payload, d.status AS Status, d.attempts AS Attempts,
               w.url AS Url, w.signing_secret AS SigningSecret, w.deleted_at AS WebhookDeletedAt
        FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = @id
        """);

    internal static readonly Sql RecordAttempt = Sql.Portable("""
        UPDATE webhook_deliveries
        SET status = @status, attempts = attempts + 1, last_attempt_at = @now, last_status_code = @statusCode, last_error = @error,
            delivered_at = CASE WHEN @status = 'delivered' THEN @now ELSE delivered_at END
        WHERE id = @id AND status = 'pending'
        """);

    private sealed class Pending
    {
        public long Id { get; init; }
        public string EventType { get; init; } = "";
        public string Payload { get; init; } = "";
        public DeliveryStatus Status { get; init; }
        public int Attempts { get; init; }
        public string Url { get; init; } = "";
        public string SigningSecret { get; init; } = "";
        public DateTimeOffset? WebhookDeletedAt { get; init; }
    }

    [AutomaticRetry(Attempts = 0)] // retries are the delivery's own, with its own back-off
    public async Task DeliverAsync(long deliveryId, CancellationToken cancellationToken)
    {
        var delivery = await database.QuerySingleOrDefaultAsync<Pending>(SelectDelivery, new { id = deliveryId }, cancellationToken);
        if (delivery is null || delivery.Status != DeliveryStatus.Pending) return;
        if (delivery.WebhookDeletedAt is not null)
        {
            await Record(deliveryId, DeliveryStatus.Failed, null, "The webhook was deleted.");
            return;
        }

        int? statusCode = null;
        string? error = null;
        try
        {
            var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
            {
                Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-IpsOutcomes-Event", delivery.EventType);
            request.Headers.Add("X-IpsOutcomes-Delivery", deliveryId.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("X-IpsOutcomes-Signature", WebhookOutbox.Sign(delivery.SigningSecret, timestamp, delivery.Payload));
            using var response = await http.CreateClient("webhooks").SendAsync(request, cancellationToken);
            statusCode = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                await Record(deliveryId, DeliveryStatus.Delivered, statusCode, null);
                return;
            }
            error = $"The receiver answered {statusCode}.";
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            error = exception is TaskCanceledException ? "The receiver did not answer in time." : $"The receiver could not be reached ({exception.Message}).";
        }

        var delays = configuration.GetValue("Webhooks:RetryDelaysSeconds", "30,120,600,1800,3600,10800")!
            .Split(',').Select(d => TimeSpan.FromSeconds(double.Parse(d, CultureInfo.InvariantCulture))).ToArray();
        var attempt = delivery.Attempts + 1;
        var last = attempt > delays.Length;
        await Record(deliveryId, last ? DeliveryStatus.Failed : DeliveryStatus.Pending, statusCode, error);
        logger.LogWarning("Webhook delivery {DeliveryId} attempt {Attempt} failed: {Error}", deliveryId, attempt, error);
        if (!last) jobs.Schedule<WebhookDelivery>(job => job.DeliverAsync(deliveryId, CancellationToken.None), delays[attempt - 1]);
    }

    private Task<int> Record(long id, DeliveryStatus status, int? statusCode, string? error) =>
        database.ExecuteAsync(RecordAttempt,
            new
            {
                id,
                status = CsvOutput.SnakeCase(status),
                statusCode,
                error = error?.Length > 400 ? error[..400] : error,
                now = clock.GetUtcNow()
            });
}
