using System.Collections.Concurrent;

namespace IpsOutcomes.Infrastructure;

/// <summary>
/// Rows read on every request (a key, a person's user) remembered in memory on the embedded default, where every change goes
/// through this process; on SQL Server other instances change them too, so nothing is remembered. A change is bracketed by
/// <see cref="Change"/> from before its first write until after its commit: nothing is remembered meanwhile, and a read that
/// overlapped a change is not kept, so a row read before a commit (a key before its revocation, a user before their
/// suspension) never outlives it.
/// </summary>
public sealed class Remembered<TKey, TValue>(bool enabled, int capacity = 10_000) where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue>? values = enabled ? new() : null;
    private int changing;
    private long changes;

    public bool Changing => Volatile.Read(ref changing) > 0;

    /// <summary>The remembered value, or <paramref name="read"/>'s, kept if <paramref name="keep"/> says so.</summary>
    public async Task<TValue> GetOrReadAsync(TKey key, Func<Task<TValue>> read, Func<TValue, bool>? keep = null)
    {
        if (values is null) return await read();
        if (!Changing && values.TryGetValue(key, out var known)) return known;
        var before = Interlocked.Read(ref changes);
        var value = await read();
        if (Changing || values.Count >= capacity || keep?.Invoke(value) == false) return value;
        values[key] = value;
        // A change that began or ended during the read may have been missed by it: do not keep what it read.
        if (Changing || Interlocked.Read(ref changes) != before) values.TryRemove(key, out _);
        return value;
    }

    /// <summary>Opens a change; dispose it once the transaction has committed (or failed).</summary>
    public IDisposable Change()
    {
        Interlocked.Increment(ref changing);
        values?.Clear();
        return new Bracket(this);
    }

    private sealed class Bracket(Remembered<TKey, TValue> remembered) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 1) return;
            Interlocked.Increment(ref remembered.changes);
            remembered.values?.Clear();
            Interlocked.Decrement(ref remembered.changing);
        }
    }
}
