namespace Ergate;

/// <summary>
/// The job state store, as small as Python Ergate's: record the job's latest state. A backend adds capabilities by
/// also implementing <see cref="IReadableJobStateStore"/> and <see cref="IConditionalJobStateStore"/>.
/// </summary>
/// <remarks>
/// With only this interface the engine cannot read a job back, so it detects stale deliveries only from what the
/// worker (or job grain) remembers in memory, which a restart forgets.
/// </remarks>
public interface IJobStateStore
{
    /// <summary>Records <paramref name="job"/> as the latest state of the job with key <paramref name="jobKey"/>.</summary>
    /// <param name="jobKey">The job key (see <see cref="JobKeys"/>).</param>
    /// <param name="job">The job.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the state is stored.</returns>
    Task UpdateAsync(string jobKey, Job job, CancellationToken cancellationToken);
}
