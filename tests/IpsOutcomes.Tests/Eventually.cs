namespace IpsOutcomes.Tests;

/// <summary>
/// Waiting for what the service does in the background (a job, a delivery, a flush): ask again every few milliseconds
/// until it holds, and fail loudly, saying what was awaited and what was last seen, if it does not within the deadline.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(60);

    /// <summary>The first answer of <paramref name="read"/> that is <paramref name="done"/>.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, string awaited, TimeSpan? within = null,
        int everyMs = 50)
    {
        var deadline = DateTime.UtcNow + (within ?? DefaultDeadline);
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) Assert.Fail($"Waited {(within ?? DefaultDeadline).TotalSeconds:0} s for {awaited}; it did not happen. Last seen: {value}");
            await Task.Delay(everyMs);
        }
    }

    /// <summary>Until <paramref name="holds"/> answers true.</summary>
    public static Task UntilAsync(Func<Task<bool>> holds, string awaited, TimeSpan? within = null, int everyMs = 50) =>
        UntilAsync(holds, held => held, awaited, within, everyMs);

    /// <summary>Until <paramref name="holds"/> is true (a check on the database file, say).</summary>
    public static Task UntilAsync(Func<bool> holds, string awaited, TimeSpan? within = null, int everyMs = 50) =>
        UntilAsync(() => Task.FromResult(holds()), held => held, awaited, within, everyMs);
}
