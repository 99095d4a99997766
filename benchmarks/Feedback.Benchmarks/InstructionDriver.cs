namespace Feedback.Benchmarks;

/// <summary>
/// Runs one Track call N times and nothing else, for counting instructions under
/// <c>valgrind --tool=callgrind</c>: instruction counts do not move with the load of a shared machine as timings
/// do. The cost of one call is (count at N − count at 0) / N: start-up and JIT cancel out, GC work stays in.
/// Also prints the bytes allocated per call on this thread and the collections of the run (GC work is in the count).
/// <code>dotnet Feedback.Benchmarks.dll instructions TrackReaction 200000</code>
/// </summary>
public static class InstructionDriver
{
    public static void Run(string name, int count)
    {
        var calls = new TrackCalls(queueCapacity: count + 1);
        var call = calls.Call(name);
        call(); // JIT the path once, also at count 0, so the difference holds only the calls
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < count; i++) call();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Console.WriteLine($"{name}: {count} calls, {(count == 0 ? 0 : allocated / (double)count):F0} B allocated per call, dropped {calls.Client.Dropped}, collections (gen 0/1/2) {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}");
        // No Dispose: it would wake the sender to serialise the N events, work off the app's thread that must not
        // be counted here. The sender is asleep (an hour's flush interval, no full batch), so exiting is clean.
        Environment.Exit(0);
    }
}
