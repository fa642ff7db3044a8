using System.Runtime.CompilerServices;
using Ergate.Orleans.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans;

namespace Ergate.Orleans.Grains;

/// <summary>
/// The pump's loops, on the thread pool rather than the pump activation's scheduler so receiving and dispatching
/// never queue behind one another: each loop takes a free in-flight slot (<see cref="DeliverySlots"/>), receives a
/// delivery and hands it to its job grain through <see cref="JobProcessor.DeliverAsync"/>, which renews the lease
/// meanwhile and settles it after, unless the grain settled it in the step's own transaction (a transactional store).
/// </summary>
internal sealed class DeliveryPump
{
    private readonly JobProcessor _processor;
    private readonly StringKeyGrains<IJobRuntimeGrain> _jobs;
    private readonly ErgateSiloOptions _options;
    private readonly ILogger _logger;
    private readonly DeliverySlots _slots;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<AcceptedDelivery, CancellationToken, ValueTask<DeliveryResult>> _callJobGrain;
    private readonly Stack<PendingDelivery> _idle = new(); // at most MaxInFlight, the most ever in progress at once
    private Task[] _loops = [];
    private int _inFlight;

    public DeliveryPump(JobProcessor processor, IGrainFactory grains, ErgateSiloOptions options, ILogger logger)
    {
        _processor = processor;
        _jobs = new StringKeyGrains<IJobRuntimeGrain>(grains);
        _options = options;
        _logger = logger;
        _slots = new DeliverySlots(options.MaxInFlight);
        _callJobGrain = CallJobGrainAsync;
    }

    public int InFlight => Volatile.Read(ref _inFlight);

    public void Start()
    {
        _loops = new Task[_options.PumpLoops];
        for (var i = 0; i < _loops.Length; i++)
        {
            _loops[i] = Task.Run(() => LoopAsync(_stopping.Token));
        }

        Log.PumpStarted(_logger, _options.PumpLoops, _options.MaxInFlight);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_stopping.IsCancellationRequested)
        {
            // Slots first: a delivery settling meanwhile must not hand its slot to a loop that would receive again.
            _slots.Close();
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(_loops).ConfigureAwait(false);
        if (Volatile.Read(ref _inFlight) == 0)
        {
            _drained.TrySetResult();
        }

        try
        {
            await _drained.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            Log.PumpStopped(_logger);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout ran out: unsettled deliveries come back when their leases expire.
            Log.PumpStopTimedOut(_logger, InFlight);
        }
    }

    private async Task LoopAsync(CancellationToken stopping)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        var waiter = new DeliverySlots.Waiter();
        while (!stopping.IsCancellationRequested)
        {
            if (!await _slots.TakeAsync(waiter).ConfigureAwait(false))
            {
                break;
            }

            if (stopping.IsCancellationRequested)
            {
                // A slot taken as the stop began: nothing more is received once it has.
                _slots.Return();
                break;
            }

            JobDelivery delivery;
            try
            {
                // A delivery at hand (an in-memory queue, a prefetch buffer) is taken without a task.
                if (!_processor.Queue.TryReceive(out var ready))
                {
                    ready = await _processor.Queue.ReceiveAsync(stopping).ConfigureAwait(false);
                }

                delivery = ready;
                backoff = TimeSpan.FromMilliseconds(100);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                _slots.Return();
                break;
            }
            catch (Exception exception)
            {
                _slots.Return();
                Log.ReceiveFailed(_logger, exception, backoff);
                try
                {
                    await Task.Delay(backoff, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
                continue;
            }

            Interlocked.Increment(ref _inFlight);
            Dispatch(delivery);
        }
    }

    // Not async: an async method here allocated its state machine for every delivery, since the grain call always
    // completes later. A delivery still in progress waits in a PendingDelivery taken from a pool, reused.
    private void Dispatch(JobDelivery delivery)
    {
        ValueTask<DeliveryResult> delivering;
        try
        {
            delivering = _processor.DeliverAsync(delivery, _callJobGrain);
        }
        catch (Exception exception)
        {
            Log.DispatchFailed(_logger, exception, delivery.DeliveryId);
            Settled();
            return;
        }

        var awaiter = delivering.ConfigureAwait(false).GetAwaiter();
        if (awaiter.IsCompleted)
        {
            Finish(awaiter, delivery);
            return;
        }

        PendingDelivery? pending;
        lock (_idle)
        {
            _idle.TryPop(out pending);
        }

        (pending ?? new PendingDelivery(this)).Wait(awaiter, delivery);
    }

    private void Finish(ConfiguredValueTaskAwaitable<DeliveryResult>.ConfiguredValueTaskAwaiter awaiter, JobDelivery delivery)
    {
        try
        {
            awaiter.GetResult();
        }
        catch (Exception exception)
        {
            Log.DispatchFailed(_logger, exception, delivery.DeliveryId);
        }

        Settled();
    }

    private void Settled()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0 && _stopping.IsCancellationRequested)
        {
            _drained.TrySetResult();
        }

        // Last: a loop waiting for this slot receives and dispatches its next delivery on this thread, right here.
        _slots.Return();
    }

    /// <summary>A delivery in progress: its continuation is made once and reused for every delivery it waits on.</summary>
    private sealed class PendingDelivery
    {
        private readonly DeliveryPump _pump;
        private readonly Action _completed;
        private ConfiguredValueTaskAwaitable<DeliveryResult>.ConfiguredValueTaskAwaiter _awaiter;
        private JobDelivery? _delivery;

        public PendingDelivery(DeliveryPump pump)
        {
            _pump = pump;
            _completed = Completed;
        }

        public void Wait(ConfiguredValueTaskAwaitable<DeliveryResult>.ConfiguredValueTaskAwaiter awaiter, JobDelivery delivery)
        {
            _awaiter = awaiter;
            _delivery = delivery;
            awaiter.UnsafeOnCompleted(_completed);
        }

        private void Completed()
        {
            var awaiter = _awaiter;
            var delivery = _delivery!;
            _awaiter = default;
            _delivery = null;

            // Back in the pool before the delivery settles: settling may dispatch the next delivery on this thread.
            lock (_pump._idle)
            {
                _pump._idle.Push(this);
            }

            _pump.Finish(awaiter, delivery);
        }
    }

    // Not async: the grain call's own task goes to the engine, one state machine less per step. The delivery id goes
    // along only when the grain settles the delivery itself: an in-memory delivery writes its id out only when asked.
    private ValueTask<DeliveryResult> CallJobGrainAsync(AcceptedDelivery accepted, CancellationToken cancellationToken) =>
        _jobs.Get(accepted.Key).ProcessAsync(new DeliveryRequest(
            accepted.Key,
            accepted.Job,
            _processor.SettlesInTransaction ? accepted.Delivery.DeliveryId : string.Empty));
}
