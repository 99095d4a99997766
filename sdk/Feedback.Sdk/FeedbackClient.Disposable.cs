namespace Feedback;

// Kept apart from FeedbackClient.cs: only makes the client disposable by containers and `using` that dispose synchronously.
public sealed partial class FeedbackClient : IDisposable
{
    /// <summary>
    /// Same as <see cref="DisposeAsync"/>, blocking (at most about <see cref="FeedbackClientOptions.ShutdownTimeout"/>).
    /// Lets a service provider disposed with <c>Dispose()</c> rather than <c>DisposeAsync()</c> release the client.
    /// </summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
