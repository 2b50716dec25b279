namespace IpsOutcomes.Infrastructure;

/// <summary>
/// The few heavy requests (a decade of figures by ethnic category, say) that may be worked on at once
/// (<c>Indicators:HeavyConcurrency</c>, default 1): the rest wait their turn, up to <c>Indicators:HeavyWaitSeconds</c>
/// (60), then are told to come back (503 with Retry-After). So a burst of them takes one core and the memory of one
/// answer at a time, and every other request keeps the rest.
/// </summary>
public sealed class HeavyRequests(int concurrency, TimeSpan wait) : IDisposable
{
    public const string Busy = ProblemTypes.TypePrefix + "busy";

    private readonly SemaphoreSlim slots = new(Math.Max(1, concurrency));

    /// <summary>A turn, or null when none came in time.</summary>
    public async Task<IDisposable?> EnterAsync(CancellationToken ct) => await slots.WaitAsync(wait, ct) ? new Turn(slots) : null;

    /// <summary>The answer when no turn came: 503, with when to try again.</summary>
    public IResult Refusal(HttpContext http)
    {
        var seconds = Math.Max(1, (int)wait.TotalSeconds);
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problems.Problem(503, "The service is busy with other large requests",
            $"Large requests are answered a few at a time and this one waited {seconds} seconds. Try again in {seconds} seconds, or ask for less at once.", Busy);
    }

    public void Dispose() => slots.Dispose();

    private sealed class Turn(SemaphoreSlim slots) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0) slots.Release();
        }
    }
}
