namespace Ergate;

/// <summary>
/// A state-store capability: conditional writes. An update is refused when <see cref="JobStaleness.IsRefused"/> says
/// so: when it is stale (its <see cref="Job.StepsCompleted"/> is lower than the stored one, or equal while the stored
/// status is final, <see cref="JobStatusExtensions.IsFinal"/>), and when it is RUNNING, QUEUED or SCHEDULED over a stored
/// CANCELLING, at any steps completed (<see cref="JobStaleness.IgnoresCancel"/>). A create is refused when the key is stored already, so
/// submissions need no coordination per job.
/// </summary>
/// <remarks>
/// With a store that says so (<see cref="RefusesRunningOverCancelling"/>), the engine relies on the refusal instead of
/// reading the job first: a worker that remembers nothing of a job (a fresh job grain activation, say) stores RUNNING
/// at once, and reads the stored state only when that write is refused, to drop a stale delivery or to end a cancelled
/// job CANCELLED. A store that does not say so (one written before the rule existed) is read first, as before. A store
/// written when the rule refused only RUNNING over CANCELLING still works; a step's result may then write over a
/// cancellation that another activation recorded while the step ran (during a failover), and the job carries on.
/// </remarks>
public interface IConditionalJobStateStore : IReadableJobStateStore
{
    /// <summary>
    /// Records the job unless <see cref="JobStaleness.IsRefused"/> (stale, or carrying on over CANCELLING), as one atomic
    /// step: the check and the write see the same stored state.
    /// </summary>
    /// <param name="jobKey">The job key.</param>
    /// <param name="job">The job.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when written; <see langword="false"/> when refused (it does not throw).</returns>
    Task<bool> TryUpdateAsync(string jobKey, Job job, CancellationToken cancellationToken);

    /// <summary>
    /// Whether <see cref="TryUpdateAsync"/> refuses RUNNING over a stored CANCELLING (<see cref="JobStaleness.IgnoresCancel"/>),
    /// so the engine may store RUNNING for a job it remembers nothing of without reading the job first. False unless a
    /// store declares it: the engine then reads first, and a store that let RUNNING overwrite CANCELLING cannot make it
    /// run a cancelled job's step. Declare it only when the contract tests (Ergate.Testing) pass.
    /// </summary>
    bool RefusesRunningOverCancelling => false;

    /// <summary>Records a new job unless a job is stored under the key already, as one atomic step.</summary>
    /// <param name="jobKey">The job key.</param>
    /// <param name="job">The job.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when written; <see langword="false"/> when the key was taken (it does not throw).</returns>
    Task<bool> TryCreateAsync(string jobKey, Job job, CancellationToken cancellationToken);
}
