using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;
using IpsOutcomes.Audit;

namespace IpsOutcomes.Keys;

/// <summary>
/// Wrong keys, by header, by HTTP Basic or on the sign-in page: limited per address and per key id named in the secret
/// (<c>Security:FailedAuthenticationsPerMinute</c>, default 20; 0 turns it off), so that guessing costs a minute every
/// few tries; and audited in aggregate, one entry per address per minute with how many failed and how many of those were
/// refused unheard (<c>key.authentication_failed</c>), so that a flood of guesses cannot flood the audit log.
/// </summary>
public sealed class AuthenticationFailures : BackgroundService
{
    public const string AuditAction = "key.authentication_failed";

    private readonly PartitionedRateLimiter<string> limiter;
    private readonly ConcurrentDictionary<string, Tally> tallies = new();
    private readonly AuditLog audit;
    private readonly TimeSpan flushEvery;

    private sealed class Tally
    {
        public int Failed;
        public int Throttled;
        public readonly ConcurrentDictionary<long, byte> KeyIds = new();
    }

    public AuthenticationFailures(IConfiguration configuration, AuditLog audit)
    {
        this.audit = audit;
        var perMinute = configuration.GetValue("Security:FailedAuthenticationsPerMinute", 20);
        flushEvery = TimeSpan.FromSeconds(configuration.GetValue("Security:AuthenticationFailureAuditSeconds", 60));
        limiter = PartitionedRateLimiter.Create<string, string>(partition => perMinute <= 0
            ? RateLimitPartition.GetNoLimiter(partition)
            : RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = perMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }));
    }

    /// <summary>Whether this address, or the key id the secret names, has failed too often this minute: if so it is not checked at
    /// all.</summary>
    public bool IsThrottled(string? address, long? keyId) =>
        Exhausted("address:" + (address ?? "unknown")) || (keyId is { } id && Exhausted("key:" + id.ToString(CultureInfo.InvariantCulture)));

    /// <summary>A wrong key: counted against its address and the key id it names, and tallied for the audit.</summary>
    public void Failed(string? address, long? keyId)
    {
        Acquire("address:" + (address ?? "unknown"));
        if (keyId is { } id) Acquire("key:" + id.ToString(CultureInfo.InvariantCulture));
        Count(address, keyId, throttled: false);
    }

    /// <summary>An attempt refused unheard (by this limit or the sign-in page's): tallied for the minute's audit entry, not written on its
    /// own.</summary>
    public void Throttled(string? address, long? keyId) => Count(address, keyId, throttled: true);

    private bool Exhausted(string partition)
    {
        // Asking for no permits says whether any are left, without taking one.
        using var lease = limiter.AttemptAcquire(partition, 0);
        return !lease.IsAcquired;
    }

    private void Acquire(string partition)
    {
        using var lease = limiter.AttemptAcquire(partition);
    }

    private void Count(string? address, long? keyId, bool throttled)
    {
        var tally = tallies.GetOrAdd(address ?? "unknown", _ => new Tally());
        if (throttled) Interlocked.Increment(ref tally.Throttled);
        else Interlocked.Increment(ref tally.Failed);
        if (keyId is { } id && tally.KeyIds.Count < 20) tally.KeyIds.TryAdd(id, 0);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(flushEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await FlushAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One audit entry per address that failed since the last: how many, how many refused unheard, and which key ids they
    /// named.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        foreach (var address in tallies.Keys)
        {
            if (!tallies.TryRemove(address, out var tally)) continue;
            var keys = tally.KeyIds.Keys.Order().ToList();
            var detail = string.Create(CultureInfo.InvariantCulture,
                $"failed={tally.Failed} throttled={tally.Throttled} key_ids={(keys.Count == 0 ? "none" : string.Join(',', keys))}");
            await audit.WriteAsync(null, AuditAction, null, detail, address, ct);
        }
    }

    public override void Dispose()
    {
        limiter.Dispose();
        base.Dispose();
    }
}
