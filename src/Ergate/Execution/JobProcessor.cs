using System.Runtime.CompilerServices;
using Ergate.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ergate;

/// <summary>
/// Processes one delivery the way Python Ergate's worker does (signal START, store RUNNING, run one step, [signal FAIL],
/// store the result, put the job back unless final, signal END), and adds what Ergate leaves out: stale and duplicate
/// deliveries are dropped, a job whose put was lost is put again, a failing queue or store is retried and the delivery
/// released rather than dropped, invalid data is dead-lettered, the lease is renewed while a step runs, and a
/// requested cancellation ends the job CANCELLED. The in-process <see cref="JobRunner"/> and the Orleans job grain
/// only drive it.
/// </summary>
public sealed class JobProcessor : IDisposable
{
    // How often a cancellation request writes CANCELLING over a state that another worker keeps moving on.
    private const int MaxCancelWrites = 16;

    private readonly StepRunner _runner;
    private readonly DeliveryQueue _queue;
    private readonly IJobStateStore _store;
    private readonly IReadableJobStateStore? _readableStore;
    private readonly IConditionalJobStateStore? _conditionalStore;
    private readonly SignalDispatcher _signals;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ErgateOptions _options;
    private readonly TimeSpan _requeueAfter;
    private readonly LeaseKeeper? _leases;
    private readonly IRequeueJobQueue? _requeueQueue;
    private readonly ITransactionalJobStateStore? _transactionalStore;

    // Whether a JOB_RUN_START handler is registered, so raising the signal is seen (handlers are fixed at start).
    private readonly bool _announcesStart;

    internal JobProcessor(
        StepRunner runner,
        DeliveryQueue queue,
        IJobStateStore store,
        SignalDispatcher signals,
        IOptions<ErgateOptions> options,
        TimeProvider time,
        ILogger<JobProcessor> logger)
    {
        _runner = runner;
        _queue = queue;
        _store = store;
        _readableStore = store as IReadableJobStateStore;
        _conditionalStore = store as IConditionalJobStateStore;
        _signals = signals;
        _announcesStart = signals.Handles(ErgateSignal.JobRunStart);
        _options = options.Value;
        _time = time;
        _logger = logger;
        _requeueAfter = _options.RequeueAfter ?? queue.LeaseDuration ?? ErgateOptions.DefaultRequeueAfter;
        _leases = queue.LeaseDuration is { } lease ? new LeaseKeeper(queue, lease, time, logger) : null;
        _requeueQueue = queue.Queue as IRequeueJobQueue;
        _transactionalStore = store is ITransactionalJobStateStore transactional && transactional.SharesTransactionsWith(queue.Queue) ? transactional : null;
    }

    /// <inheritdoc />
    public void Dispose() => _leases?.Dispose();

    /// <summary>
    /// Whether <see cref="CreateAsync"/> may be called for one key from several places at once: the store refuses a taken
    /// key itself (<see cref="IConditionalJobStateStore.TryCreateAsync"/>), so callers need not serialize creations per key.
    /// </summary>
    public bool CreatesAtomically => _conditionalStore is not null;

    /// <summary>
    /// Whether the state store shares the queue's transactions (<see cref="ITransactionalJobStateStore"/>), so that
    /// <see cref="ProcessAsync"/>, given the delivery, stores a step's result, puts it and acknowledges the delivery at once.
    /// </summary>
    public bool SettlesInTransaction => _transactionalStore is not null;

    /// <summary>Whether the state store can read jobs back (so stale deliveries are detected from the store, not memory).</summary>
    public bool CanReadStore => _readableStore is not null;

    /// <summary>The queue view deliveries come from.</summary>
    public DeliveryQueue Queue => _queue;

    /// <summary>
    /// Parses a delivery's data into a job and its key. Data that is not a valid job is dead-lettered (or, with a
    /// queue that has no dead letter, acknowledged and logged as lost) and <see langword="null"/> is returned.
    /// </summary>
    /// <param name="delivery">The delivery.</param>
    /// <param name="cancellationToken">Cancels the dead-letter call.</param>
    /// <returns>The accepted delivery, or <see langword="null"/> when the data was not a job.</returns>
    public ValueTask<AcceptedDelivery?> AcceptAsync(JobDelivery delivery, CancellationToken cancellationToken = default) =>
        AcceptAsync(delivery, null, cancellationToken);

    private ValueTask<AcceptedDelivery?> AcceptAsync(JobDelivery delivery, KnownKeyLookup? knownKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        Job job;
        try
        {
            job = delivery.BackendState is Job held ? held.Clone() : JobJson.Deserialize(delivery.Payload);
        }
        catch (InvalidJobDataException invalid)
        {
            return DeadLetterAsync(delivery, invalid, cancellationToken);
        }

        return new ValueTask<AcceptedDelivery?>(new AcceptedDelivery(delivery, job, JobKeys.GetOrAssign(job, delivery, knownKeys)));
    }

    private async ValueTask<AcceptedDelivery?> DeadLetterAsync(JobDelivery delivery, InvalidJobDataException invalid, CancellationToken cancellationToken)
    {
        ErgateInstruments.DeadLetters.Add(1);
        if (_queue.HasDeadLetter)
        {
            Log.InvalidJobDeadLettered(_logger, delivery.DeliveryId, invalid.Message);
        }
        else
        {
            Log.InvalidJobDropped(_logger, delivery.DeliveryId, invalid.Message);
        }

        await RetryAsync("dead letter", delivery.DeliveryId, (_queue, delivery, invalid.Message), static (s, ct) => s.Item1.DeadLetterAsync(s.Item2, s.Item3, ct), cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>
    /// Drives one delivery from the queue to its settlement: accepts it (dead-lettering invalid data), runs
    /// <paramref name="process"/> while renewing the lease, then acknowledges it, or releases it when processing asked
    /// for that or failed, unless processing settled it already (<see cref="DeliveryResult.Settled"/>). The in-process runner processes in place; the Orleans pump hands the delivery to its job grain.
    /// </summary>
    /// <param name="delivery">The delivery, as received from <see cref="Queue"/>.</param>
    /// <param name="process">Processes the accepted delivery (typically <see cref="ProcessAsync"/>, here or in a job grain).</param>
    /// <param name="cancellationToken">Cancels queue calls.</param>
    /// <returns>How the delivery ended: a pooled <see cref="ValueTask{TResult}"/>, to be awaited once.</returns>
    public ValueTask<DeliveryResult> DeliverAsync(
        JobDelivery delivery,
        Func<AcceptedDelivery, CancellationToken, ValueTask<DeliveryResult>> process,
        CancellationToken cancellationToken = default) =>
        DeliverKnowingKeysAsync(delivery, process, null, cancellationToken);

    // DeliverAsync, with `knownKeys` to find the key strings the caller already holds. Pooled: the Orleans pump's
    // grain call always completes later, so each delivery would otherwise allocate this method's whole state machine
    // (about 400 B); every caller awaits the result once, as a ValueTask requires.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    internal async ValueTask<DeliveryResult> DeliverKnowingKeysAsync(
        JobDelivery delivery,
        Func<AcceptedDelivery, CancellationToken, ValueTask<DeliveryResult>> process,
        KnownKeyLookup? knownKeys,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(process);
        if (await AcceptAsync(delivery, knownKeys, cancellationToken).ConfigureAwait(false) is not { } accepted)
        {
            return new DeliveryResult(DeliveryOutcome.DeadLettered, null);
        }

        DeliveryResult result;
        _leases?.Hold(delivery);
        try
        {
            result = await process(accepted, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The processor itself never throws for a job's reasons; this is the call to it failing (a silo lost
            // mid-call, say). The job's state is whatever was stored; the delivery comes back later.
            Log.DeliveryReleased(_logger, exception, accepted.Key, "processing");
            result = new DeliveryResult(DeliveryOutcome.Released, null, _options.BackendRetryMaxDelay);
        }
        finally
        {
            _leases?.Release(delivery);
        }

        if (!result.Settled)
        {
            await SettleAsync(delivery, accepted.Key, result, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>Acknowledges a processed or stale delivery, or releases one that asked for it; failures are logged (the lease then expires).</summary>
    private async Task SettleAsync(JobDelivery delivery, string key, DeliveryResult result, CancellationToken cancellationToken)
    {
        try
        {
            if (result.Requeue is { } next && _requeueQueue is not null)
            {
                await RetryAsync("requeue", key, (_requeueQueue, delivery, next), static (s, ct) => s.Item1.RequeueAsync(s.Item2, s.Item3, ct), cancellationToken).ConfigureAwait(false);
            }
            else if (result.Outcome == DeliveryOutcome.Released)
            {
                await RetryAsync("release", key, (_queue, delivery, result.ReleaseAfter), static (s, ct) => s.Item1.ReleaseAsync(s.Item2, s.Item3, ct), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await RetryAsync("acknowledge", key, (_queue, delivery), static (s, ct) => s.Item1.AcknowledgeAsync(s.Item2, ct), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (BackendUnavailableException unavailable)
        {
            // Not acknowledged: the lease expires and the delivery comes back, to be dropped as stale or run again.
            Log.SettlementFailed(_logger, unavailable, key, unavailable.Operation);
            if (result.Requeue is not null)
            {
                // As after a failed put: the next state is stored but not queued. Released until that state has been
                // idle past RequeueAfter, the delivery comes back stale and puts it again (a lease that merely runs
                // out may bring it back too soon for that).
                await SettleAsync(delivery, key, new DeliveryResult(DeliveryOutcome.Released, null, UnqueuedStateDelay), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // How long a delivery whose job's next state was stored but not queued stays away: until that state counts as idle.
    private TimeSpan UnqueuedStateDelay => _requeueAfter + _options.BackendRetryMaxDelay;

    /// <summary>
    /// Processes one accepted delivery: at most one step of its job. It does not release the delivery, and acknowledges it
    /// only in the transaction that stores the step's result when given <paramref name="delivery"/> with a transactional
    /// store (the result then says <see cref="DeliveryResult.Settled"/>); otherwise see <see cref="DeliverAsync"/>.
    /// </summary>
    /// <param name="job">The delivered job; the processor takes it over and changes it into the job's next state.</param>
    /// <param name="key">The job key.</param>
    /// <param name="memory">What the caller remembers of this job; updated here.</param>
    /// <param name="stepCancellation">Cancels the running step (a job cancellation, or a shutdown that is no longer graceful).</param>
    /// <param name="cancellationToken">Cancels queue and store calls.</param>
    /// <param name="deferPut">
    /// When the queue can requeue (<see cref="IRequeueJobQueue"/>), leave the next state's put to the settlement: the result's
    /// <see cref="DeliveryResult.Requeue"/> carries it, and <see cref="DeliverAsync"/> puts it as it acknowledges the
    /// delivery, one write instead of two. Pass it only when the delivery is settled through <see cref="DeliverAsync"/>.
    /// JOB_RUN_END is then raised once the state is stored, before it is on the queue.
    /// </param>
    /// <param name="delivery">
    /// The delivery the job came in (only its <see cref="JobDelivery.DeliveryId"/> is needed). With a state store that
    /// shares transactions with the queue (<see cref="ITransactionalJobStateStore"/>), the step's result is stored, put
    /// and the delivery acknowledged in one transaction, and the result says <see cref="DeliveryResult.Settled"/>. Pass
    /// it only when the delivery is settled through <see cref="DeliverAsync"/>, which then leaves it alone.
    /// </param>
    /// <returns>How the delivery ended.</returns>
    public async ValueTask<DeliveryResult> ProcessAsync(Job job, string key, JobMemory memory, CancellationToken stepCancellation = default, CancellationToken cancellationToken = default, bool deferPut = false, JobDelivery? delivery = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(memory);
        try
        {
            // The stale check and a stored cancellation request need the stored state. A conditional store refuses the
            // RUNNING write in both cases (JobStaleness.IsRefused), so with one the store is read only once that write
            // is refused: before it, this worker's memory decides when it has any, and a worker with none (a job
            // grain's first delivery) goes straight to the write when the store declares that it refuses RUNNING over
            // CANCELLING. JOB_RUN_START comes before that write, though, so a first delivery still reads first when a
            // JOB_RUN_START handler would see a stale delivery announced.
            var readFirst = _readableStore is not null
                && (_conditionalStore is null || (memory.StepsCompleted is null && (_announcesStart || !_conditionalStore.RefusesRunningOverCancelling)));
            var stored = readFirst ? await ReadStoreAsync(key, cancellationToken).ConfigureAwait(false) : null;
            if (IsStale(job, stored, memory))
            {
                if (_readableStore is not null)
                {
                    stored ??= await ReadStoreAsync(key, cancellationToken).ConfigureAwait(false);
                }

                return await SettleStaleAsync(job, key, stored, memory, cancellationToken).ConfigureAwait(false);
            }

            if (memory.IsCancelRequested || (stored?.Job.Status ?? memory.Status) == JobStatus.Cancelling)
            {
                return await CancelAsync(job, key, memory, cancellationToken).ConfigureAwait(false);
            }

            await _signals.RaiseAsync(ErgateSignal.JobRunStart, job, key, cancellationToken).ConfigureAwait(false);
            var running = job;
            running.Status = JobStatus.Running;
            if (!await StoreAsync(key, running, memory, cancellationToken).ConfigureAwait(false))
            {
                return await SettleRefusedStartAsync(running, key, memory, cancellationToken).ConfigureAwait(false);
            }

            var result = await _runner.RunAsync(running, inPlace: true, stepCancellation).ConfigureAwait(false);
            var next = result.Job;
            if (memory.IsCancelRequested && next.Status == JobStatus.Queued)
            {
                // The step finished normally while a cancellation was pending and more steps would run.
                next.Status = JobStatus.Cancelled;
            }

            LogOutcome(key, job, result);
            if (next.Status == JobStatus.Failed)
            {
                await _signals.RaiseAsync(ErgateSignal.JobRunFail, next, key, cancellationToken).ConfigureAwait(false);
            }

            if (delivery is not null && _transactionalStore is not null)
            {
                // Stored, put and acknowledged at once: there is no moment when the state is stored but not queued.
                var settled = await StoreAndSettleAsync(_transactionalStore, delivery, key, next, memory, cancellationToken).ConfigureAwait(false);
                if (!settled)
                {
                    settled = await StoreCancelledIfRequestedMeanwhileAsync(key, next, memory, delivery, cancellationToken).ConfigureAwait(false);
                }

                await _signals.RaiseAsync(ErgateSignal.JobRunEnd, next, key, cancellationToken).ConfigureAwait(false);
                return settled
                    ? new DeliveryResult(DeliveryOutcome.Processed, next, Settled: true)
                    : new DeliveryResult(DeliveryOutcome.Stale, null);
            }

            var written = await StoreAsync(key, next, memory, cancellationToken).ConfigureAwait(false);
            if (!written)
            {
                written = await StoreCancelledIfRequestedMeanwhileAsync(key, next, memory, null, cancellationToken).ConfigureAwait(false);
            }

            var requeue = written && !next.Status.StopsRequeue();
            var deferred = requeue && deferPut && _requeueQueue is not null;
            if (requeue && !deferred)
            {
                await RetryAsync("put", key, (_queue, next), static (s, ct) => s.Item1.PutAsync(s.Item2, null, ct), cancellationToken).ConfigureAwait(false);
            }

            await _signals.RaiseAsync(ErgateSignal.JobRunEnd, next, key, cancellationToken).ConfigureAwait(false);
            return new DeliveryResult(written ? DeliveryOutcome.Processed : DeliveryOutcome.Stale, written ? next : null, Requeue: deferred ? next : null);
        }
        catch (BackendUnavailableException unavailable)
        {
            Log.DeliveryReleased(_logger, unavailable, key, unavailable.Operation);
            var delay = _options.BackendRetryMaxDelay;
            if (unavailable.Operation == "put")
            {
                // The next state is stored but not queued. With a readable store, the released delivery comes back
                // stale once the stored state has been idle past RequeueAfter, and puts that state again. Without one,
                // forget it so the delivery runs its step again (at-least-once).
                delay = UnqueuedStateDelay;
                if (_readableStore is null)
                {
                    memory.StepsCompleted = null;
                    memory.Status = null;
                }
            }

            await _signals.RaiseAsync(ErgateSignal.JobRunEnd, job, key, cancellationToken).ConfigureAwait(false);
            return new DeliveryResult(DeliveryOutcome.Released, null, delay);
        }
    }

    /// <summary>
    /// Stores a new job and queues it, not before <paramref name="notBefore"/> when given. Refuses a job whose key is
    /// already stored (or, with a store that cannot read back, already remembered). Unless <see cref="CreatesAtomically"/>,
    /// callers serialize calls per key (the job grain does), so the check and the write cannot race.
    /// </summary>
    /// <param name="job">The job, as it should be stored and queued.</param>
    /// <param name="key">The job key.</param>
    /// <param name="notBefore">The earliest delivery time, or <see langword="null"/>.</param>
    /// <param name="memory">What the caller remembers of this job; updated here.</param>
    /// <param name="cancellationToken">Cancels queue and store calls.</param>
    /// <returns><see langword="false"/> when the job already exists; nothing was written.</returns>
    /// <exception cref="BackendUnavailableException">The store or queue kept failing.</exception>
    public async Task<bool> CreateAsync(Job job, string key, DateTimeOffset? notBefore, JobMemory memory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(memory);
        if (_conditionalStore is not null)
        {
            if (!await TryCreateStoredAsync(key, job, notBefore, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            memory.Remember(job, keepJob: false);
            if (_transactionalStore is not null)
            {
                // Stored and queued in one transaction.
                return true;
            }
        }
        else
        {
            var exists = _readableStore is null
                ? memory.StepsCompleted is not null
                : await ReadStoreAsync(key, cancellationToken).ConfigureAwait(false) is not null;
            if (exists || !await StoreAsync(key, job, memory, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }

        await RetryAsync("put", key, (_queue, job, notBefore), static (s, ct) => s.Item1.PutAsync(s.Item2, s.Item3, ct), cancellationToken).ConfigureAwait(false);
        return true;
    }

    // The store refuses a taken key in the same step as the write. A refusal after a failed attempt may be that attempt's
    // own write (it failed after committing, say): a stored job identical to this one counts as created here, so it is
    // queued rather than left stored and never queued. (An identical resubmission racing a failed attempt is then
    // queued twice; the copy that arrives second is dropped as stale.) With a transactional store the job is created and
    // queued in one transaction, and an identical stored job was queued with it.
    private ValueTask<bool> TryCreateStoredAsync(string key, Job job, DateTimeOffset? notBefore, CancellationToken cancellationToken) =>
        RetryAsync("state create", key, (store: _conditionalStore!, transactional: _transactionalStore, queue: _queue.Queue, key, job, notBefore, attempts: new StrongBox<int>()), static async (s, ct) =>
        {
            var retried = s.attempts.Value++ > 0;
            var created = s.transactional is not null
                ? s.transactional.TryCreateAndPutAsync(s.queue, s.key, s.job, s.notBefore, ct)
                : s.store.TryCreateAsync(s.key, s.job, ct);
            if (await created.ConfigureAwait(false))
            {
                return true;
            }

            return retried
                && await s.store.GetAsync(s.key, ct).ConfigureAwait(false) is { } stored
                && JobJson.SerializeToUtf8Bytes(stored.Job).AsSpan().SequenceEqual(JobJson.SerializeToUtf8Bytes(s.job));
        }, cancellationToken);

    /// <summary>
    /// Records a cancellation request: in <paramref name="memory"/>, and in the store as CANCELLING unless the job is
    /// final. Call it only while no step of the job runs, so store updates stay in order; while a step runs, set
    /// <see cref="JobMemory.IsCancelRequested"/> and cancel the step's token instead.
    /// </summary>
    /// <param name="key">The job key.</param>
    /// <param name="memory">What the caller remembers of this job; updated here.</param>
    /// <param name="cancellationToken">Cancels store calls.</param>
    /// <returns>What the request found.</returns>
    /// <exception cref="BackendUnavailableException">The store kept failing, or kept refusing CANCELLING because other workers kept storing newer states.</exception>
    public async Task<CancelResult> RequestCancelAsync(string key, JobMemory memory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(memory);
        var current = (await ReadAsync(key, memory, cancellationToken).ConfigureAwait(false))?.Job;
        if (current is null)
        {
            return CancelResult.NotFound;
        }

        if (current.Status.IsFinal())
        {
            return CancelResult.AlreadyFinal;
        }

        memory.IsCancelRequested = true;

        // A conditional store refuses the write when the stored state moved on since it was read: a step of this job
        // stored by another worker (a second activation while the cluster disagrees about a silo, another process on
        // the same store), or the job ended. Then read it again and write over the newer state, so the request is not
        // dropped while the job runs on elsewhere.
        for (var attempt = 1; current.Status != JobStatus.Cancelling; attempt++)
        {
            var cancelling = current.Clone();
            cancelling.Status = JobStatus.Cancelling;
            if (await StoreAsync(key, cancelling, memory, cancellationToken).ConfigureAwait(false))
            {
                break;
            }

            if (attempt == MaxCancelWrites)
            {
                memory.IsCancelRequested = false; // the caller is told the request failed; this worker must not act on it
                throw new BackendUnavailableException("cancellation request", attempt, new InvalidOperationException(
                    $"The store refused the CANCELLING state of job {key} {attempt} times: each time, another worker had stored a newer state since it was read."));
            }

            current = (await ReadAsync(key, memory, cancellationToken).ConfigureAwait(false))?.Job;
            if (current is null || current.Status.IsFinal())
            {
                memory.IsCancelRequested = false; // nothing left to cancel
                return current is null ? CancelResult.NotFound : CancelResult.AlreadyFinal;
            }
        }

        return CancelResult.Requested;
    }

    /// <summary>Reads a job's latest state: from the store when it can read back, otherwise the last state remembered.</summary>
    /// <param name="key">The job key.</param>
    /// <param name="memory">What the caller remembers of this job.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The state, or <see langword="null"/> when unknown.</returns>
    /// <exception cref="BackendUnavailableException">The store kept failing.</exception>
    public async Task<StoredJob?> ReadAsync(string key, JobMemory memory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(memory);
        if (_readableStore is not null)
        {
            return await ReadStoreAsync(key, cancellationToken).ConfigureAwait(false);
        }

        return memory.Last is { } last ? new StoredJob(last, DateTimeOffset.MinValue) : null;
    }

    private static bool IsStale(Job job, StoredJob? stored, JobMemory memory)
    {
        if (stored is not null)
        {
            return JobStaleness.IsStale(job.StepsCompleted, stored.Job.StepsCompleted, stored.Job.Status);
        }

        return memory.StepsCompleted is { } remembered && JobStaleness.IsStale(job.StepsCompleted, remembered, memory.Status!.Value);
    }

    private async ValueTask<DeliveryResult> SettleStaleAsync(Job job, string key, StoredJob? stored, JobMemory memory, CancellationToken cancellationToken)
    {
        // The stored state is newer. If it is not final, its own put may have been lost (a failed put, or a silo that
        // died between update and put), and this delivery may be all that is left of the job on the queue. Once that
        // state has shown no progress for longer than RequeueAfter, put it again, once per stored state, so the job is
        // never left with no copy on its way and copies do not multiply. Until then, keep this delivery: released, it
        // comes back when the state would count as idle (a redelivery after a lost lease comes sooner than that).
        if (stored is not null
            && !stored.Job.Status.StopsRequeue()
            && stored.Job.StepsCompleted > job.StepsCompleted
            && memory.RequeuedStepsCompleted != stored.Job.StepsCompleted)
        {
            var idle = _time.GetUtcNow() - stored.UpdatedAt;
            if (idle <= _requeueAfter)
            {
                var wait = UnqueuedStateDelay - idle;
                Log.StaleDeliveryHeld(_logger, key, job.StepsCompleted, stored.Job.StepsCompleted, wait);
                return new DeliveryResult(DeliveryOutcome.Released, null, wait);
            }

            await RetryAsync("put", key, (_queue, stored.Job), static (s, ct) => s.Item1.PutAsync(s.Item2, null, ct), cancellationToken).ConfigureAwait(false);
            memory.RequeuedStepsCompleted = stored.Job.StepsCompleted;
            Log.StoredJobRequeued(_logger, key, stored.Job.StepsCompleted, idle);
        }

        ErgateInstruments.StaleDeliveries.Add(1);
        var reference = stored?.Job;
        Log.StaleDeliveryDropped(_logger, key, job.StepsCompleted, reference?.StepsCompleted ?? memory.StepsCompleted ?? -1, reference?.Status ?? memory.Status ?? JobStatus.Queued);
        return new DeliveryResult(DeliveryOutcome.Stale, null);
    }

    // After the store refused a step's result: when that is because the job's cancellation was recorded while the step
    // ran (by another activation during a failover, say; JobStaleness.IgnoresCancel) and the result is not stale, the
    // result is stored as CANCELLED instead (with the delivery's settlement when the store shares the queue's
    // transactions), as when the request reaches this worker during the step. Returns whether it was stored. If it is
    // not (not cancelled meanwhile, refused again, or failed), the job keeps its status, so signals and logs never report
    // a cancellation that was not stored.
    private async ValueTask<bool> StoreCancelledIfRequestedMeanwhileAsync(string key, Job next, JobMemory memory, JobDelivery? delivery, CancellationToken cancellationToken)
    {
        if (_readableStore is null || next.Status is not (JobStatus.Queued or JobStatus.Scheduled))
        {
            return false;
        }

        var stored = await ReadStoreAsync(key, cancellationToken).ConfigureAwait(false);
        if (stored?.Job.Status != JobStatus.Cancelling || JobStaleness.IsStale(next.StepsCompleted, stored.Job.StepsCompleted, stored.Job.Status))
        {
            return false;
        }

        var carriedOn = next.Status;
        next.Status = JobStatus.Cancelled;
        var written = false;
        try
        {
            written = delivery is not null && _transactionalStore is not null
                ? await StoreAndSettleAsync(_transactionalStore, delivery, key, next, memory, cancellationToken).ConfigureAwait(false)
                : await StoreAsync(key, next, memory, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (!written)
            {
                next.Status = carriedOn;
            }
        }

        if (written)
        {
            Log.JobCancelled(_logger, key, next.WorkflowName);
        }

        return written;
    }

    // A conditional store refused to store RUNNING (only a conditional store refuses, and every one reads back): the
    // stored state is newer than the delivery, or asks for the job's cancellation (JobStaleness.IsRefused). Which one,
    // the store says now; the delivery then ends as it would have had the store been read first. JOB_RUN_START has been
    // raised already: JOB_RUN_END closes it when a handler saw it, and only then, so a stale delivery otherwise emits
    // no signal.
    private async ValueTask<DeliveryResult> SettleRefusedStartAsync(Job job, string key, JobMemory memory, CancellationToken cancellationToken)
    {
        var stored = await ReadStoreAsync(key, cancellationToken).ConfigureAwait(false);
        DeliveryResult result;
        if (stored is not null && JobStaleness.IsStale(job.StepsCompleted, stored.Job.StepsCompleted, stored.Job.Status))
        {
            result = await SettleStaleAsync(job, key, stored, memory, cancellationToken).ConfigureAwait(false);
        }
        else if (stored?.Job.Status == JobStatus.Cancelling)
        {
            return await CancelStartedAsync(job, key, memory, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // The stored state changed between the refusal and the read (another activation wrote it during a
            // failover, say). Guessing could run a cancelled job or drop a live one: the delivery comes back later and
            // is judged again against whatever is stored then.
            Log.RefusedStartReleased(_logger, key, job.StepsCompleted, stored?.Job.StepsCompleted ?? -1, stored?.Job.Status);
            result = new DeliveryResult(DeliveryOutcome.Released, null, _options.BackendRetryMaxDelay);
        }

        if (_announcesStart)
        {
            await _signals.RaiseAsync(ErgateSignal.JobRunEnd, job, key, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    private async ValueTask<DeliveryResult> CancelAsync(Job job, string key, JobMemory memory, CancellationToken cancellationToken)
    {
        await _signals.RaiseAsync(ErgateSignal.JobRunStart, job, key, cancellationToken).ConfigureAwait(false);
        return await CancelStartedAsync(job, key, memory, cancellationToken).ConfigureAwait(false);
    }

    // Ends a delivery whose JOB_RUN_START was raised as CANCELLED, without running its step.
    private async ValueTask<DeliveryResult> CancelStartedAsync(Job job, string key, JobMemory memory, CancellationToken cancellationToken)
    {
        var cancelled = job.Clone();
        cancelled.Status = JobStatus.Cancelled;
        await StoreAsync(key, cancelled, memory, cancellationToken).ConfigureAwait(false);
        Log.JobCancelled(_logger, key, job.WorkflowName);
        await _signals.RaiseAsync(ErgateSignal.JobRunEnd, cancelled, key, cancellationToken).ConfigureAwait(false);
        return new DeliveryResult(DeliveryOutcome.Processed, cancelled);
    }

    // Stores a state; false when a conditional store refused it (stale, or carrying on over CANCELLING). Twice a step: a
    // write that completes at once (an in-memory store) returns without a state machine of its own.
    private ValueTask<bool> StoreAsync(string key, Job job, JobMemory memory, CancellationToken cancellationToken)
    {
        var write = _conditionalStore is not null
            ? RetryAsync("state update", key, (_conditionalStore, key, job), static (s, ct) => s.Item1.TryUpdateAsync(s.Item2, s.Item3, ct), cancellationToken)
            : RetryAsync("state update", key, (_store, key, job), static (s, ct) => Completion(s.Item1.UpdateAsync(s.Item2, s.Item3, ct)), cancellationToken);
        return write.IsCompletedSuccessfully
            ? new ValueTask<bool>(Remember(write.Result, job, memory))
            : RememberWhenWrittenAsync(write, job, memory);
    }

    private async ValueTask<bool> RememberWhenWrittenAsync(ValueTask<bool> write, Job job, JobMemory memory) =>
        Remember(await write.ConfigureAwait(false), job, memory);

    private bool Remember(bool written, Job job, JobMemory memory)
    {
        if (written)
        {
            memory.Remember(job, keepJob: _readableStore is null);
        }

        return written;
    }

    // Stores a step's result, puts it unless final and acknowledges the delivery, in one transaction; false when the
    // store refused the state as stale (then nothing was done, and the settlement acknowledges the delivery).
    private async ValueTask<bool> StoreAndSettleAsync(ITransactionalJobStateStore store, JobDelivery delivery, string key, Job job, JobMemory memory, CancellationToken cancellationToken) =>
        Remember(
            await RetryAsync(
                "state update",
                key,
                (store, queue: _queue.Queue, delivery, key, job),
                static (s, ct) => s.store.TryUpdateAndSettleAsync(s.queue, s.delivery, s.key, s.job, !s.job.Status.StopsRequeue(), ct),
                cancellationToken).ConfigureAwait(false),
            job,
            memory);

    private void LogOutcome(string key, Job job, StepResult result)
    {
        ErgateInstruments.StepsCompleted.Add(1);
        switch (result.Job.Status)
        {
            case JobStatus.Failed:
                ErgateInstruments.JobsFailed.Add(1);
                Log.JobFailed(_logger, result.Exception, key, job.WorkflowName, job.CurrentStep, result.Job.Error ?? string.Empty);
                break;
            case JobStatus.Aborted:
                Log.JobAborted(_logger, key, job.WorkflowName, job.CurrentStep, result.Exception?.Message ?? string.Empty);
                break;
            case JobStatus.Cancelled:
                Log.JobCancelled(_logger, key, job.WorkflowName);
                break;
            case JobStatus.Completed:
                Log.JobCompleted(_logger, key, job.WorkflowName);
                break;
        }
    }

    private ValueTask<StoredJob?> ReadStoreAsync(string key, CancellationToken cancellationToken) =>
        RetryAsync("state read", key, (_readableStore!, key), static (s, ct) => s.Item1.GetAsync(s.Item2, ct), cancellationToken);

    // The state is passed to a static lambda so the per-step calls allocate no closure. A call that completes at once
    // (an in-memory backend, a batched write already committed) returns without entering the retry loop's state machine.
    private ValueTask RetryAsync<TState>(string operation, string key, TState state, Func<TState, CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        var first = Attempt(state, call, cancellationToken);
        return first.IsCompletedSuccessfully
            ? ValueTask.CompletedTask
            : new ValueTask(RetryAsync(operation, key, (state, call), static (s, ct) => Completion(s.call(s.state, ct)), Completion(first), cancellationToken).AsTask());
    }

    private ValueTask<T> RetryAsync<TState, T>(string operation, string key, TState state, Func<TState, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var first = Attempt(state, call, cancellationToken);
        return first.IsCompletedSuccessfully
            ? new ValueTask<T>(first.GetAwaiter().GetResult())
            : RetryAsync(operation, key, state, call, first, cancellationToken);
    }

    private async ValueTask<T> RetryAsync<TState, T>(string operation, string key, TState state, Func<TState, CancellationToken, Task<T>> call, Task<T> first, CancellationToken cancellationToken)
    {
        var delay = _options.BackendRetryBaseDelay;
        var attempt = first;
        for (var attempts = 1; ; attempts++)
        {
            try
            {
                return await attempt.ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (attempts >= _options.BackendRetryAttempts)
                {
                    throw new BackendUnavailableException(operation, attempts, exception);
                }

                ErgateInstruments.BackendRetries.Add(1);
                Log.BackendCallRetrying(_logger, exception, key, operation, attempts, delay);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.BackendRetryMaxDelay.Ticks));
                attempt = Attempt(state, call, cancellationToken);
            }
        }
    }

    // One call, with a synchronous throw turned into a faulted task so both are retried alike.
    private static Task Attempt<TState>(TState state, Func<TState, CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        try
        {
            return call(state, cancellationToken);
        }
        catch (Exception exception)
        {
            return Task.FromException(exception);
        }
    }

    private static Task<T> Attempt<TState, T>(TState state, Func<TState, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return call(state, cancellationToken);
        }
        catch (Exception exception)
        {
            return Task.FromException<T>(exception);
        }
    }

    // A task without a result as one with a result, so one retry loop serves both kinds of call.
    private static async Task<bool> Completion(Task task)
    {
        await task.ConfigureAwait(false);
        return true;
    }
}
