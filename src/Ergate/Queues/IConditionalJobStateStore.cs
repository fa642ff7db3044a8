namespace Ergate;

/// <summary>
/// A state-store capability: refusing a stale write. A write is stale when its <see cref="Job.StepsCompleted"/> is
/// lower than the stored one, or equal while the stored status is final (<see cref="JobStatusExtensions.IsFinal"/>).
/// </summary>
public interface IConditionalJobStateStore : IReadableJobStateStore
{
    /// <summary>Records the job unless the write is stale, as one atomic step.</summary>
    /// <param name="jobKey">The job key.</param>
    /// <param name="job">The job.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when written; <see langword="false"/> when refused as stale (it does not throw).</returns>
    Task<bool> TryUpdateAsync(string jobKey, Job job, CancellationToken cancellationToken);
}
