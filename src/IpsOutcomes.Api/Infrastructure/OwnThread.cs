namespace IpsOutcomes.Infrastructure;

/// <summary>
/// Work that holds a thread for long (seconds of parsing a return, or of reading SQLite, which answers its async calls
/// synchronously) runs on a thread of its own, not the pool's. On two cores the pool keeps two threads, and a request that
/// finds them held waits for it to grow: a return's status poll waited 0.8-2 s while a million rows were validated and
/// loaded (issue 27, round 12 in docs/benchmarks.md).
/// </summary>
public static class OwnThread
{
    public static Task Run(Action work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public static Task<T> Run<T>(Func<T> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>An async piece of work: on its own thread until it first truly waits.</summary>
    public static Task Run(Func<Task> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
}
