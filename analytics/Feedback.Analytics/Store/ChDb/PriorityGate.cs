namespace Feedback.Analytics.Store.ChDb;

/// <summary>
/// One holder at a time, like a semaphore of one, but a waiter with priority goes before every waiter without:
/// the engine runs one statement at a time, and a batch of events waiting to be stored must not queue behind
/// several reads (a dashboard asks for a few charts at once), only behind the one statement already running.
/// Among waiters of the same priority, first come first served.
/// </summary>
public sealed class PriorityGate
{
    private readonly object sync = new();
    private readonly Queue<TaskCompletionSource> urgent = new();
    private readonly Queue<TaskCompletionSource> normal = new();
    private bool held;

    /// <summary>Waiters not yet admitted (cancelled ones may still be counted until they are passed over).</summary>
    public int Waiting
    {
        get
        {
            lock (sync) return urgent.Count(w => !w.Task.IsCompleted) + normal.Count(w => !w.Task.IsCompleted);
        }
    }

    /// <summary>Whether someone holds the gate.</summary>
    public bool Held
    {
        get
        {
            lock (sync) return held;
        }
    }

    public Task WaitAsync(bool priority, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled(cancellationToken);
        TaskCompletionSource waiter;
        lock (sync)
        {
            if (!held)
            {
                held = true;
                return Task.CompletedTask;
            }
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            (priority ? urgent : normal).Enqueue(waiter);
        }
        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() => waiter.TrySetCanceled(cancellationToken));
            _ = waiter.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        return waiter.Task;
    }

    /// <summary>Gives the gate to the next waiter (urgent first), or frees it.</summary>
    public void Release()
    {
        lock (sync)
        {
            while (urgent.TryDequeue(out var next) || normal.TryDequeue(out next))
            {
                if (next.TrySetResult()) return; // a cancelled waiter is passed over
            }
            held = false;
        }
    }

    /// <summary>Takes the gate synchronously (disposal).</summary>
    public void Wait() => WaitAsync(priority: true, CancellationToken.None).GetAwaiter().GetResult();
}
