using System.Collections.Concurrent;
using Ergate.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ergate;

/// <summary>
/// The in-process worker (Python Ergate's <c>JobRunner</c>): get one delivery, run one step through the
/// <see cref="JobProcessor"/>, and repeat. Without Orleans, this is the whole runtime.
/// </summary>
public sealed class JobRunner
{
    private readonly JobProcessor _processor;
    private readonly ErgateOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<AcceptedDelivery, CancellationToken, ValueTask<DeliveryResult>> _process;

    // What the worker remembers per job, and a gate per job so that with several loops one job's deliveries never
    // overlap (as the job grain guarantees on Orleans). Forgotten once a job is final, unless the store cannot read
    // back, in which case memory is all the stale check has.
    private readonly ConcurrentDictionary<string, JobSlot> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JobSlot>.AlternateLookup<ReadOnlySpan<char>> _jobsByChars;
    private readonly KnownKeyLookup _knownKeys;

    // The slot FindKey last found, with the key it returned: the same delivery's gate is looked up right after, and
    // this spares hashing the key a second time. Loops race for it harmlessly: a slot is used only for its own key.
    private JobSlot? _found;

    internal JobRunner(JobProcessor processor, IOptions<ErgateOptions> options, TimeProvider time, ILogger<JobRunner> logger)
    {
        _processor = processor;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _process = ProcessAcceptedAsync;
        _jobsByChars = _jobs.GetAlternateLookup<ReadOnlySpan<char>>();
        _knownKeys = FindKey;
    }

    /// <summary>Receives one delivery and processes it.</summary>
    /// <param name="cancellationToken">Stops waiting for a delivery. A delivery already received is processed to the end.</param>
    /// <returns>How the delivery ended.</returns>
    public ValueTask<DeliveryResult> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        // A delivery at hand is taken without a task (ILeasedJobQueue.TryReceive); a cancelled call takes none.
        if (!cancellationToken.IsCancellationRequested && _processor.Queue.TryReceive(out var ready))
        {
            return ProcessAsync(ready);
        }

        return ReceiveAndProcessAsync(cancellationToken);
    }

    private async ValueTask<DeliveryResult> ReceiveAndProcessAsync(CancellationToken cancellationToken)
    {
        var delivery = await _processor.Queue.ReceiveAsync(cancellationToken).ConfigureAwait(false);
        return await ProcessAsync(delivery).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <see cref="ErgateOptions.WorkerConcurrency"/> loops until <paramref name="stoppingToken"/> is cancelled,
    /// then finishes the deliveries already received. Failures are logged, backed off and survived.
    /// </summary>
    /// <param name="stoppingToken">Stops receiving.</param>
    /// <returns>A task that completes when every loop has stopped.</returns>
    public Task RunAsync(CancellationToken stoppingToken)
    {
        var loops = new Task[_options.WorkerConcurrency];
        for (var i = 0; i < loops.Length; i++)
        {
            loops[i] = LoopAsync(stoppingToken);
        }

        return Task.WhenAll(loops);
    }

    private async Task LoopAsync(CancellationToken stoppingToken)
    {
        var backoff = _options.BackendRetryBaseDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
                backoff = _options.BackendRetryBaseDelay;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                Log.WorkerLoopFailed(_logger, exception, "receive", backoff);
                try
                {
                    await Task.Delay(backoff, _time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.BackendRetryMaxDelay.Ticks));
            }
        }
    }

    private ValueTask<DeliveryResult> ProcessAsync(JobDelivery delivery) => _processor.DeliverKnowingKeysAsync(delivery, _process, _knownKeys, CancellationToken.None);

    // The key string of a job this worker already knows (every delivery after a job's first), so a delivery of it
    // makes no new string for its key.
    private string? FindKey(ReadOnlySpan<byte> asciiKey)
    {
        const int MaxLength = 256;
        if (asciiKey.Length > MaxLength)
        {
            return null;
        }

        // Sized to the key: a stack buffer is zeroed, and most keys are far shorter than the limit.
        Span<char> chars = stackalloc char[asciiKey.Length];
        System.Text.Ascii.ToUtf16(asciiKey, chars, out _);
        if (!_jobsByChars.TryGetValue(chars, out var key, out var slot))
        {
            return null;
        }

        _found = slot;
        return key;
    }

    // JobSlot's wait takes no token: a job's gate is never given up on once waited for. A job whose gate is free and
    // whose step completes at once (the in-memory backends) goes through without a state machine of its own.
    private ValueTask<DeliveryResult> ProcessAcceptedAsync(AcceptedDelivery accepted, CancellationToken ct)
    {
        var slot = _found is { IsForgotten: false } found && ReferenceEquals(found.Key, accepted.Key)
            ? found
            : _jobs.GetOrAdd(accepted.Key, static key => new JobSlot(key));
        var entered = slot.EnterAsync();
        return entered.IsCompletedSuccessfully ? ProcessInGate(slot, accepted, ct) : ProcessWhenEnteredAsync(slot, entered, accepted, ct);
    }

    private async ValueTask<DeliveryResult> ProcessWhenEnteredAsync(JobSlot slot, ValueTask entered, AcceptedDelivery accepted, CancellationToken ct)
    {
        await entered.ConfigureAwait(false);
        return await ProcessInGate(slot, accepted, ct).ConfigureAwait(false);
    }

    // Called holding the job's gate; leaves it once processing has ended, on every path.
    private ValueTask<DeliveryResult> ProcessInGate(JobSlot slot, AcceptedDelivery accepted, CancellationToken ct)
    {
        ValueTask<DeliveryResult> processing;
        try
        {
            processing = _processor.ProcessAsync(accepted.Job, accepted.Key, slot.Memory, CancellationToken.None, ct, deferPut: true, delivery: accepted.Delivery);
        }
        catch
        {
            slot.Exit();
            throw;
        }

        if (!processing.IsCompleted)
        {
            return ExitWhenProcessedAsync(slot, processing, accepted);
        }

        try
        {
            return new ValueTask<DeliveryResult>(Forget(accepted, processing.Result));
        }
        finally
        {
            slot.Exit();
        }
    }

    private async ValueTask<DeliveryResult> ExitWhenProcessedAsync(JobSlot slot, ValueTask<DeliveryResult> processing, AcceptedDelivery accepted)
    {
        try
        {
            return Forget(accepted, await processing.ConfigureAwait(false));
        }
        finally
        {
            slot.Exit();
        }
    }

    // A job that ended is forgotten, unless the store cannot read back and memory is all the stale check has.
    private DeliveryResult Forget(AcceptedDelivery accepted, DeliveryResult result)
    {
        if (_processor.CanReadStore && result.Job?.Status.IsFinal() == true)
        {
            if (_jobs.TryRemove(accepted.Key, out var forgotten))
            {
                forgotten.IsForgotten = true;
            }
        }

        return result;
    }

    // A job's memory and its gate. The gate is a count of the loops holding or waiting for it: the first in holds it at
    // the cost of one interlocked add and no lock; only a loop that finds it held makes the semaphore to wait on, and
    // the holder releases one waiter as it leaves. A wait is never cancelled: a waiter that gave up would leave the
    // release meant for it to whoever came next, letting two in.
    private sealed class JobSlot(string key)
    {
        private int _users;
        private SemaphoreSlim? _waiters;
        private bool _forgotten;

        public string Key { get; } = key;

        // Set once the slot is out of the map, so the runner's last-found slot is not used past that.
        public bool IsForgotten { get => Volatile.Read(ref _forgotten); set => Volatile.Write(ref _forgotten, value); }

        public JobMemory Memory { get; } = new();

        private SemaphoreSlim Waiters
        {
            get
            {
                if (Volatile.Read(ref _waiters) is { } waiters)
                {
                    return waiters;
                }

                var made = new SemaphoreSlim(0);
                return Interlocked.CompareExchange(ref _waiters, made, null) ?? made;
            }
        }

        public ValueTask EnterAsync() =>
            Interlocked.Increment(ref _users) == 1 ? ValueTask.CompletedTask : new ValueTask(Waiters.WaitAsync());

        public void Exit()
        {
            if (Interlocked.Decrement(ref _users) > 0)
            {
                Waiters.Release();
            }
        }
    }
}
