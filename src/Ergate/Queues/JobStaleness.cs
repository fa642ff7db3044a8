namespace Ergate;

/// <summary>
/// The rules that decide whether a conditional write (<see cref="IConditionalJobStateStore.TryUpdateAsync"/>) is
/// refused: a state older than the stored one (DESIGN §4.2), or a state that carries on a job over a stored cancellation
/// request. Every conditional store applies them, so the engine can rely on the write itself instead of reading first.
/// </summary>
public static class JobStaleness
{
    /// <summary>
    /// Whether a job with <paramref name="stepsCompleted"/> is stale against a stored state: its steps completed is
    /// lower, or equal while the stored status is final.
    /// </summary>
    /// <param name="stepsCompleted">The incoming job's steps completed.</param>
    /// <param name="storedStepsCompleted">The stored job's steps completed.</param>
    /// <param name="storedStatus">The stored job's status.</param>
    /// <returns><see langword="true"/> when the incoming state must not overwrite or re-run the stored one.</returns>
    public static bool IsStale(int stepsCompleted, int storedStepsCompleted, JobStatus storedStatus) =>
        stepsCompleted < storedStepsCompleted || (stepsCompleted == storedStepsCompleted && storedStatus.IsFinal());

    /// <summary>
    /// Whether writing <paramref name="status"/> over <paramref name="storedStatus"/> would carry on a job whose stored
    /// state asks for its cancellation: a RUNNING, QUEUED or SCHEDULED write over a stored CANCELLING, whatever the
    /// steps completed on either side. The request is for the job, not for one of its states. Refusing RUNNING lets a
    /// worker that did not read the store first learn from the write that the job is to end CANCELLED without running;
    /// refusing QUEUED or SCHEDULED keeps a step's result from writing over a request recorded while the step ran (by
    /// another activation during a failover, say), and the worker then ends the job CANCELLED with that result. A final
    /// state (the job completed, failed, was aborted or cancelled) is not refused.
    /// </summary>
    /// <param name="status">The incoming job's status.</param>
    /// <param name="storedStatus">The stored job's status.</param>
    /// <returns><see langword="true"/> when the write must be refused so the job is cancelled instead of carried on.</returns>
    public static bool IgnoresCancel(JobStatus status, JobStatus storedStatus) =>
        storedStatus == JobStatus.Cancelling && status is JobStatus.Running or JobStatus.Queued or JobStatus.Scheduled;

    /// <summary>
    /// Whether a conditional store refuses to write a job over a stored state: the write is stale
    /// (<see cref="IsStale"/>) or would carry on a job the stored state asks to cancel (<see cref="IgnoresCancel"/>).
    /// </summary>
    /// <param name="stepsCompleted">The incoming job's steps completed.</param>
    /// <param name="status">The incoming job's status.</param>
    /// <param name="storedStepsCompleted">The stored job's steps completed.</param>
    /// <param name="storedStatus">The stored job's status.</param>
    /// <returns><see langword="true"/> when the store must keep the stored state.</returns>
    public static bool IsRefused(int stepsCompleted, JobStatus status, int storedStepsCompleted, JobStatus storedStatus) =>
        IsStale(stepsCompleted, storedStepsCompleted, storedStatus) || IgnoresCancel(status, storedStatus);
}
