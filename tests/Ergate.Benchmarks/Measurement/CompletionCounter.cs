namespace Ergate.Benchmarks.Measurement;

/// <summary>
/// Counts completed jobs down to zero and then completes a task. One expectation at a time: the harness waits for
/// every job of a run before it starts the next.
/// </summary>
internal sealed class CompletionCounter
{
    private TaskCompletionSource _done = NewSource();
    private int _remaining;

    /// <summary>Starts waiting for <paramref name="count"/> completions; call before the first submission.</summary>
    public Task Expect(int count)
    {
        var done = NewSource();
        _done = done;
        Volatile.Write(ref _remaining, count);
        return done.Task;
    }

    /// <summary>How many expected completions have not happened yet.</summary>
    public int Remaining => Volatile.Read(ref _remaining);

    /// <summary>Records one completion.</summary>
    public void Signal()
    {
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            _done.TrySetResult();
        }
    }

    /// <summary>Waits for the expectation, failing with the count still missing after <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(Task expectation, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await expectation.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Remaining} jobs had not completed after {timeout.TotalSeconds:0} s.");
        }
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
