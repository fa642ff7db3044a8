namespace Ergate;

/// <summary>The one rule that decides whether a job state is older than the stored one (DESIGN §4.2).</summary>
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
}
