namespace Ergate;

/// <summary>
/// The job queue, as small as Python Ergate's: get one job (waiting until there is one) and put one back.
/// A backend adds capabilities by also implementing <see cref="ILeasedJobQueue"/>, <see cref="IScheduledJobQueue"/>
/// and <see cref="IDeadLetterJobQueue"/>; the engine discovers them by type.
/// </summary>
/// <remarks>
/// With only this interface, a job taken by <see cref="GetOneAsync"/> is gone from the queue: if the worker dies
/// before it puts the job back, the job is lost, and a job whose state could not be stored is kept in the worker's
/// hand and retried rather than released. Implement <see cref="ILeasedJobQueue"/> for at-least-once delivery.
/// </remarks>
public interface IJobQueue
{
    /// <summary>Takes the next job, waiting until one is there.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The job.</returns>
    Task<Job> GetOneAsync(CancellationToken cancellationToken);

    /// <summary>Puts a job on the queue.</summary>
    /// <param name="job">The job.</param>
    /// <param name="cancellationToken">Cancels the put.</param>
    /// <returns>A task that completes when the job is queued.</returns>
    Task PutAsync(Job job, CancellationToken cancellationToken);
}
