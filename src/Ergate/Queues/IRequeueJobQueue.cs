namespace Ergate;

/// <summary>
/// A queue capability: settling a delivery by putting the job's next state in its place, in one atomic write. The
/// engine uses it after a step instead of a put followed by an acknowledgement, which halves the queue writes per
/// step; a queue without it gets the put and then the acknowledgement.
/// </summary>
public interface IRequeueJobQueue : ILeasedJobQueue
{
    /// <summary>
    /// Acknowledges <paramref name="delivery"/> and puts <paramref name="job"/> at the back of the queue, both or
    /// neither. If the lease was lost meanwhile (the delivery was already settled or delivered again), the job is put
    /// all the same: the engine drops whichever copy turns out stale, but it never loses the next state.
    /// </summary>
    /// <param name="delivery">The delivery to settle.</param>
    /// <param name="job">The job's next state.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when both are durable.</returns>
    Task RequeueAsync(JobDelivery delivery, Job job, CancellationToken cancellationToken);
}
