using System.Diagnostics.CodeAnalysis;

namespace Ergate;

/// <summary>
/// A queue capability: deliveries under a lease. A received message stays invisible to other consumers until it is
/// acknowledged (gone), released (visible again), or its lease expires (visible again: at-least-once delivery).
/// </summary>
public interface ILeasedJobQueue : IJobQueue
{
    /// <summary>How long a lease lasts unless renewed.</summary>
    TimeSpan LeaseDuration { get; }

    /// <summary>Receives the next message under a lease, waiting until one is there.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The delivery.</returns>
    Task<JobDelivery> ReceiveAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Receives a message under a lease if one is at hand now, without waiting and without a task: the engine asks this
    /// first at every receive and calls <see cref="ReceiveAsync"/> only when it returns <see langword="false"/>. The
    /// default takes nothing; a queue with ready messages in memory (an in-process queue, a prefetch buffer) hands one
    /// out here, leased exactly as <see cref="ReceiveAsync"/> would.
    /// </summary>
    /// <param name="delivery">The delivery, when one was taken.</param>
    /// <returns>Whether a message was taken.</returns>
    bool TryReceive([NotNullWhen(true)] out JobDelivery? delivery)
    {
        delivery = null;
        return false;
    }

    /// <summary>Removes the delivered message for good. Acknowledging an expired or unknown lease does nothing.</summary>
    /// <param name="delivery">The delivery.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the message is removed.</returns>
    Task AcknowledgeAsync(JobDelivery delivery, CancellationToken cancellationToken);

    /// <summary>Makes the delivered message visible again after <paramref name="delay"/>, without removing it.</summary>
    /// <param name="delivery">The delivery.</param>
    /// <param name="delay">How long it stays invisible; <see cref="TimeSpan.Zero"/> for at once.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the message is released.</returns>
    Task ReleaseAsync(JobDelivery delivery, TimeSpan delay, CancellationToken cancellationToken);

    /// <summary>Extends the lease by <see cref="LeaseDuration"/> from now (called while a long step runs).</summary>
    /// <param name="delivery">The delivery.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="false"/> when the lease had already expired or is unknown.</returns>
    Task<bool> RenewLeaseAsync(JobDelivery delivery, CancellationToken cancellationToken);
}
