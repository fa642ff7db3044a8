namespace Ergate;

/// <summary>
/// A state-store capability: conditional writes. An update is refused when stale: its <see cref="Job.StepsCompleted"/>
/// is lower than the stored one, or equal while the stored status is final (<see cref="JobStatusExtensions.IsFinal"/>).
/// A create is refused when the key is stored already, so submissions need no coordination per job.
/// </summary>
public interface IConditionalJobStateStore : IReadableJobStateStore
{
    /// <summary>Records the job unless the write is stale, as one atomic step.</summary>
    /// <param name="jobKey">The job key.</param>
    /// <param name="job">The job.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when written; <see langword="false"/> when refused as stale (it does not throw).</returns>
    Task<bool> TryUpdateAsync(string jobKey, Job job, CancellationToken cancellationToken);

    /// <summary>Records a new job unless a job is stored under the key already, as one atomic step.</summary>
    /// <param name="jobKey">The job key.</param>
    /// <param name="job">The job.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when written; <see langword="false"/> when the key was taken (it does not throw).</returns>
    Task<bool> TryCreateAsync(string jobKey, Job job, CancellationToken cancellationToken);
}
