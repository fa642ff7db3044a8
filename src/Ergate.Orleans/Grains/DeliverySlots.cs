using System.Threading.Tasks.Sources;

namespace Ergate.Orleans.Grains;

/// <summary>
/// The pump's in-flight slots: a receive loop takes one before it receives, a settled delivery gives it back.
/// </summary>
/// <remarks>
/// Under load every slot is taken and each loop waits for one on every delivery, so the wait must cost nothing: each
/// loop waits on a <see cref="Waiter"/> of its own, reused for every wait (a <see cref="SemaphoreSlim"/> allocated a
/// task, a node and a cancellation registration per wait), and a returned slot goes straight to a waiting loop, which
/// resumes on the returning thread instead of queueing on the thread pool once more.
/// </remarks>
internal sealed class DeliverySlots(int count)
{
    private readonly Lock _lock = new();
    private readonly Queue<Waiter> _waiting = new();
    private int _free = count;
    private bool _closed;

    /// <summary>Takes a slot, waiting on <paramref name="waiter"/> (the caller's own) while none is free.</summary>
    /// <returns><see langword="true"/> with a slot; <see langword="false"/> once <see cref="Close"/> was called.</returns>
    public ValueTask<bool> TakeAsync(Waiter waiter)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return new ValueTask<bool>(false);
            }

            if (_free > 0)
            {
                _free--;
                return new ValueTask<bool>(true);
            }

            waiter.Arm();
            _waiting.Enqueue(waiter);
        }

        return waiter.Task;
    }

    /// <summary>Gives a slot back: to the loop that has waited longest, which then runs on this thread, or to the pool.</summary>
    public void Return()
    {
        Waiter? next;
        lock (_lock)
        {
            if (!_waiting.TryDequeue(out next))
            {
                _free++;
                return;
            }
        }

        next.Complete(true);
    }

    /// <summary>Ends every wait, now and later, with <see langword="false"/>.</summary>
    public void Close()
    {
        Waiter[] waiting;
        lock (_lock)
        {
            _closed = true;
            waiting = [.. _waiting];
            _waiting.Clear();
        }

        foreach (var waiter in waiting)
        {
            waiter.Complete(false);
        }
    }

    /// <summary>One loop's reusable wait: at most one wait at a time.</summary>
    public sealed class Waiter : IValueTaskSource<bool>
    {
        // Continuations run inline, on the thread that returns the slot: that thread has just settled a delivery and
        // is free to receive the next one.
        private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = false };

        public ValueTask<bool> Task => new(this, _core.Version);

        public bool GetResult(short token) => _core.GetResult(token);

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);

        internal void Arm() => _core.Reset();

        internal void Complete(bool hasSlot) => _core.SetResult(hasSlot);
    }
}
