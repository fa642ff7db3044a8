using Orleans;
using Orleans.Concurrency;

namespace Ergate.Orleans;

/// <summary>
/// One job, keyed by its job key: the RFC 8785 canonical JSON of its id (see <see cref="JobKeys"/>). Orleans keeps
/// one activation per job, so no two steps of a job run at once anywhere in the cluster. The pump hands it
/// deliveries; these methods are for clients, and interleave with a running step.
/// </summary>
public interface IJobGrain : IGrainWithStringKey
{
    /// <summary>Reads the job's latest state. Idempotent; interleaves with a running step.</summary>
    /// <returns>The state, or <see langword="null"/> when the job is unknown.</returns>
    [AlwaysInterleave]
    Task<JobSnapshot?> GetAsync();

    /// <summary>
    /// Requests cancellation: the next delivery ends the job CANCELLED without running a step, and a running step's
    /// token is cancelled (its <see cref="OperationCanceledException"/> ends the job CANCELLED, not FAILED; a step
    /// that finishes normally ends it CANCELLED if more steps would run, COMPLETED if it was the last). CANCELLING is
    /// written to the store only while no step runs. Idempotent.
    /// </summary>
    /// <returns>What the request found.</returns>
    [AlwaysInterleave]
    Task<CancelResult> CancelAsync();

    /// <summary>
    /// Streams the job's state: the current state first, then every stored change, ending after a final state. The
    /// stream breaks if the grain is deactivated (a silo lost, say); <see cref="IJobClient.WatchAsync(string, CancellationToken)"/> resumes it.
    /// </summary>
    /// <param name="cancellationToken">Stops watching.</param>
    /// <returns>The states.</returns>
    [AlwaysInterleave]
    IAsyncEnumerable<JobSnapshot> WatchAsync(CancellationToken cancellationToken = default);
}
