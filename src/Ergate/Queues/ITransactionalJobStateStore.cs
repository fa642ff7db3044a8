namespace Ergate;

/// <summary>
/// A state-store capability for a store that lives with the queue (the same database): writing a job's state, putting
/// it on the queue and acknowledging a delivery in one transaction. After a step the engine then makes one write
/// instead of three (store the result, put the next state, acknowledge), and a submission one instead of two; a job's
/// next state is never stored without being queued, nor queued without being stored.
/// </summary>
/// <remarks>
/// The engine uses it only with a queue for which <see cref="SharesTransactionsWith"/> is <see langword="true"/>.
/// A delivery may reach the store through another process (a job grain on another silo), carrying only its
/// <see cref="JobDelivery.DeliveryId"/>: the store must be able to acknowledge it from that id alone.
/// </remarks>
public interface ITransactionalJobStateStore : IConditionalJobStateStore
{
    /// <summary>Whether this store can write in one transaction with <paramref name="queue"/>.</summary>
    /// <param name="queue">The queue the engine takes deliveries from and puts jobs on.</param>
    /// <returns><see langword="true"/> when the other methods accept this queue.</returns>
    bool SharesTransactionsWith(IJobQueue queue);

    /// <summary>
    /// As one transaction: records the job unless the write is refused as <see cref="IConditionalJobStateStore.TryUpdateAsync"/>
    /// refuses it (<see cref="JobStaleness.IsRefused"/>: stale, or RUNNING, QUEUED or SCHEDULED over CANCELLING; the
    /// engine writes a step's result here, never RUNNING, but the rule is the same), and only if it was recorded, puts the job on <paramref name="queue"/> when <paramref name="put"/> is set and
    /// acknowledges <paramref name="delivery"/>. A refused write changes nothing, the delivery included. If the
    /// delivery's lease was lost meanwhile, the state is recorded and put all the same and the acknowledgement does
    /// nothing (whichever copy of the job turns out stale is dropped later). A call that committed but reported a failure
    /// is not refused when retried, so the retry puts a second copy; the engine drops it later as stale, as it does any
    /// duplicate delivery.
    /// </summary>
    /// <param name="queue">The queue; one for which <see cref="SharesTransactionsWith"/> holds.</param>
    /// <param name="delivery">The delivery the job came in, to acknowledge.</param>
    /// <param name="jobKey">The job key.</param>
    /// <param name="job">The job's next state.</param>
    /// <param name="put">Whether to put the job on the queue (it is not final).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when all of it was done; <see langword="false"/> when the write was refused and nothing was done.</returns>
    Task<bool> TryUpdateAndSettleAsync(IJobQueue queue, JobDelivery delivery, string jobKey, Job job, bool put, CancellationToken cancellationToken);

    /// <summary>
    /// As one transaction: records a new job unless a job is stored under the key already (as
    /// <see cref="IConditionalJobStateStore.TryCreateAsync"/>), and only if it was recorded, puts it on
    /// <paramref name="queue"/>, not to be delivered before <paramref name="notBefore"/> when given.
    /// </summary>
    /// <param name="queue">The queue; one for which <see cref="SharesTransactionsWith"/> holds.</param>
    /// <param name="jobKey">The job key.</param>
    /// <param name="job">The job.</param>
    /// <param name="notBefore">The earliest delivery time, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when recorded and queued; <see langword="false"/> when the key was taken and nothing was done.</returns>
    Task<bool> TryCreateAndPutAsync(IJobQueue queue, string jobKey, Job job, DateTimeOffset? notBefore, CancellationToken cancellationToken);
}
