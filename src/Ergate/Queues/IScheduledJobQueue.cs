namespace Ergate;

/// <summary>A queue capability: a put whose job is not delivered before a given time.</summary>
public interface IScheduledJobQueue : IJobQueue
{
    /// <summary>Puts a job that is not delivered before <paramref name="notBefore"/>.</summary>
    /// <param name="job">The job.</param>
    /// <param name="notBefore">The earliest delivery time.</param>
    /// <param name="cancellationToken">Cancels the put.</param>
    /// <returns>A task that completes when the job is queued.</returns>
    Task PutAsync(Job job, DateTimeOffset notBefore, CancellationToken cancellationToken);
}
