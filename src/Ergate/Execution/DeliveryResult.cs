namespace Ergate;

/// <summary>The result of processing one delivery.</summary>
/// <param name="Outcome">How the delivery ended.</param>
/// <param name="Job">The job's state after the delivery, when one was stored.</param>
/// <param name="ReleaseAfter">For <see cref="DeliveryOutcome.Released"/>: how long the delivery stays invisible before it comes back.</param>
/// <param name="Requeue">
/// The job's next state, stored but not yet put: <see cref="JobProcessor.DeliverAsync"/> puts it while it acknowledges
/// the delivery, in one write (see <see cref="IRequeueJobQueue"/>). Set only when processing was asked to defer the put.
/// </param>
/// <param name="Settled">
/// Whether processing settled the delivery itself, in the transaction that stored the job's next state and put it
/// (see <see cref="ITransactionalJobStateStore"/>; if the lease had been lost meanwhile, there was nothing left to
/// acknowledge): <see cref="JobProcessor.DeliverAsync"/> then leaves it alone.
/// </param>
public readonly record struct DeliveryResult(DeliveryOutcome Outcome, Job? Job, TimeSpan ReleaseAfter = default, Job? Requeue = null, bool Settled = false);
