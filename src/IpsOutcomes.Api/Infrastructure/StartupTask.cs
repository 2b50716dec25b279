namespace IpsOutcomes.Infrastructure;

/// <summary>
/// Work the service does as it starts: <see cref="StartingAsync"/> runs before the web server listens and the
/// job server starts (migrations, the first admin key); <see cref="StartedAsync"/> once everything is running
/// (re-queueing unfinished work).
/// </summary>
public abstract class StartupTask : IHostedLifecycleService
{
    public virtual Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public virtual Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
