using System.Collections.Concurrent;

namespace IpsOutcomes.Returns;

/// <summary>
/// Runs an enumeration on another thread, batches ahead of its consumer, so that two stages of reading a large
/// return (parsing and checking the CSV; keying and holding the rows) use a core each. Exceptions reach the
/// consumer; a consumer that stops early stops the producer.
/// </summary>
public static class ReadAhead
{
    public static IEnumerable<T> Of<T>(IEnumerable<T> source, int batchSize = 1024, int batchesAhead = 8)
    {
        using var queue = new BlockingCollection<T[]>(batchesAhead);
        using var stop = new CancellationTokenSource();
        var producer = Infrastructure.OwnThread.Run(() =>
        {
            try
            {
                var batch = new List<T>(batchSize);
                foreach (var item in source)
                {
                    batch.Add(item);
                    if (batch.Count < batchSize) continue;
                    queue.Add(batch.ToArray(), stop.Token);
                    batch.Clear();
                }
                if (batch.Count > 0) queue.Add(batch.ToArray(), stop.Token);
            }
            finally
            {
                queue.CompleteAdding();
            }
        });
        try
        {
            foreach (var batch in queue.GetConsumingEnumerable())
                foreach (var item in batch)
                    yield return item;
        }
        finally
        {
            // Stop a producer the consumer left early, wait for it, and pass on what it threw.
            stop.Cancel();
            try { producer.GetAwaiter().GetResult(); }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
        }
    }
}
