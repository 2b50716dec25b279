namespace IpsOutcomes.Webhooks;

/// <summary>A delivery waits (and is retried) until the receiver accepts it, or fails after the last attempt. Served snake_case.</summary>
public enum DeliveryStatus { Pending, Delivered, Failed }

public sealed record WebhookRequest(string Url, string? IcbCode = null);

public sealed record WebhookView
{
    public long Id { get; init; }
    public string IcbCode { get; init; } = "";
    public string Url { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DeletedAt { get; init; }
}

/// <summary>The signing secret is in this answer and nowhere else.</summary>
public sealed record RegisteredWebhook(WebhookView Webhook, string SigningSecret);

public sealed record DeliveryView
{
    public long Id { get; init; }
    public string EventType { get; init; } = "";
    public DeliveryStatus Status { get; init; }
    public int Attempts { get; init; }
    public DateTimeOffset? LastAttemptAt { get; init; }
    public int? LastStatusCode { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DeliveredAt { get; init; }
    public string Payload { get; init; } = "";
}
