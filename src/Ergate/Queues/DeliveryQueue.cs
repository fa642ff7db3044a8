using System.Collections.Concurrent;

namespace Ergate;

/// <summary>
/// The engine's uniform view of the user's queue: leased deliveries with acknowledge, release, renew, dead letter and
/// a not-before put, whatever the queue implements. Where the queue lacks a capability it degrades as documented on
/// <see cref="IJobQueue"/>: a released job is kept in this worker's hand and delivered again from here, a dead
/// letter is only logged, a not-before put is an ordinary put.
/// </summary>
public sealed class DeliveryQueue
{
    private readonly IJobQueue _queue;
    private readonly ILeasedJobQueue? _leased;
    private readonly IScheduledJobQueue? _scheduled;
    private readonly IDeadLetterJobQueue? _deadLetter;
    private readonly TimeProvider _time;

    // Jobs of a minimal queue that were released: kept here, in hand, until due.
    private readonly ConcurrentQueue<(DateTimeOffset Due, JobDelivery Delivery)> _inHand = new();

    /// <summary>Wraps a queue.</summary>
    /// <param name="queue">The user's queue.</param>
    /// <param name="time">The clock.</param>
    public DeliveryQueue(IJobQueue queue, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(time);
        _queue = queue;
        _leased = queue as ILeasedJobQueue;
        _scheduled = queue as IScheduledJobQueue;
        _deadLetter = queue as IDeadLetterJobQueue;
        _time = time;
    }

    /// <summary>The wrapped queue.</summary>
    public IJobQueue Queue => _queue;

    /// <summary>Whether deliveries are leased (at-least-once) rather than taken.</summary>
    public bool HasLeases => _leased is not null;

    /// <summary>The lease duration, or <see langword="null"/> for a queue without leases.</summary>
    public TimeSpan? LeaseDuration => _leased?.LeaseDuration;

    /// <summary>Receives the next delivery, waiting until there is one.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The delivery.</returns>
    public Task<JobDelivery> ReceiveAsync(CancellationToken cancellationToken) =>
        _leased is not null ? _leased.ReceiveAsync(cancellationToken) : TakeAsync(cancellationToken);

    /// <summary>
    /// Receives a delivery that is at hand now, without waiting or a task (<see cref="ILeasedJobQueue.TryReceive"/>);
    /// <see langword="false"/> when there is none, or the queue cannot hand one out that way, and
    /// <see cref="ReceiveAsync"/> must wait for one.
    /// </summary>
    /// <param name="delivery">The delivery, when one was taken.</param>
    /// <returns>Whether a delivery was taken.</returns>
    public bool TryReceive([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out JobDelivery? delivery)
    {
        delivery = null;
        return _leased is not null && _leased.TryReceive(out delivery);
    }

    private async Task<JobDelivery> TakeAsync(CancellationToken cancellationToken)
    {
        // A cancelled receive takes nothing, not even a delivery in hand that is due (a stopping pump relies on it).
        cancellationToken.ThrowIfCancellationRequested();
        while (true)
        {
            if (!_inHand.TryPeek(out var held))
            {
                return Taken(await _queue.GetOneAsync(cancellationToken).ConfigureAwait(false));
            }

            var wait = held.Due - _time.GetUtcNow();
            if (wait <= TimeSpan.Zero && _inHand.TryDequeue(out held))
            {
                return held.Delivery;
            }

            // A job is in hand but not due: take a new one from the queue meanwhile, but stop waiting when it is due.
            // (IJobQueue.GetOneAsync must honour cancellation without losing a job.)
            using var timer = new CancellationTokenSource(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, _time);
            using var due = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
            try
            {
                return Taken(await _queue.GetOneAsync(due.Token).ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The job in hand is due.
            }
        }
    }

    // A job taken from a queue without leases, as a delivery; the job itself rides along so it is not parsed again.
    private static JobDelivery Taken(Job job) =>
        new(Guid.NewGuid().ToString("N"), JobJson.SerializeToUtf8Bytes(job)) { BackendState = job };

    /// <summary>Acknowledges a delivery (a no-op for a queue without leases).</summary>
    /// <param name="delivery">The delivery.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public Task AcknowledgeAsync(JobDelivery delivery, CancellationToken cancellationToken) =>
        _leased is null ? Task.CompletedTask : _leased.AcknowledgeAsync(delivery, cancellationToken);

    /// <summary>Releases a delivery to come back after <paramref name="delay"/> (kept in hand for a queue without leases).</summary>
    /// <param name="delivery">The delivery.</param>
    /// <param name="delay">How long before it is delivered again.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public Task ReleaseAsync(JobDelivery delivery, TimeSpan delay, CancellationToken cancellationToken)
    {
        if (_leased is not null)
        {
            return _leased.ReleaseAsync(delivery, delay, cancellationToken);
        }

        _inHand.Enqueue((_time.GetUtcNow() + delay, delivery));
        return Task.CompletedTask;
    }

    /// <summary>Renews a delivery's lease.</summary>
    /// <param name="delivery">The delivery.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether the lease is still held.</returns>
    public Task<bool> RenewLeaseAsync(JobDelivery delivery, CancellationToken cancellationToken) =>
        _leased is null ? Task.FromResult(true) : _leased.RenewLeaseAsync(delivery, cancellationToken);

    /// <summary>Whether <see cref="DeadLetterAsync"/> keeps the data (the queue has a dead letter).</summary>
    public bool HasDeadLetter => _deadLetter is not null;

    /// <summary>Moves a delivery to the dead letters; without a dead letter, acknowledges it (the caller logs the data as lost).</summary>
    /// <param name="delivery">The delivery.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public Task DeadLetterAsync(JobDelivery delivery, string reason, CancellationToken cancellationToken) =>
        _deadLetter is not null ? _deadLetter.DeadLetterAsync(delivery, reason, cancellationToken) : AcknowledgeAsync(delivery, cancellationToken);

    /// <summary>Puts a job, not to be delivered before <paramref name="notBefore"/> where the queue supports that.</summary>
    /// <param name="job">The job.</param>
    /// <param name="notBefore">The earliest delivery time, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public Task PutAsync(Job job, DateTimeOffset? notBefore, CancellationToken cancellationToken) =>
        notBefore is { } due && _scheduled is not null
            ? _scheduled.PutAsync(job, due, cancellationToken)
            : _queue.PutAsync(job, cancellationToken);
}
