namespace Ergate;

/// <summary>
/// Classifies <see cref="JobStatus"/> values.
/// </summary>
public static class JobStatusExtensions
{
    /// <summary>
    /// Whether no further step of a job with this status will run: <see cref="JobStatus.Completed"/>,
    /// <see cref="JobStatus.Failed"/>, <see cref="JobStatus.Aborted"/> or <see cref="JobStatus.Cancelled"/>.
    /// </summary>
    /// <param name="status">The status.</param>
    /// <returns><see langword="true"/> for a final status.</returns>
    public static bool IsFinal(this JobStatus status) =>
        status is JobStatus.Completed or JobStatus.Failed or JobStatus.Aborted or JobStatus.Cancelled;

    /// <summary>
    /// Whether the worker stops re-queuing a job with this status after a step. This is Python Ergate's
    /// rule: the final statuses plus <see cref="JobStatus.Cancelling"/>.
    /// </summary>
    /// <param name="status">The status.</param>
    /// <returns><see langword="true"/> when the job is not put back on the queue.</returns>
    public static bool StopsRequeue(this JobStatus status) => status.IsFinal() || status == JobStatus.Cancelling;

    /// <summary>Whether the integer is one of the nine defined statuses.</summary>
    /// <param name="status">The status.</param>
    /// <returns><see langword="true"/> when defined.</returns>
    public static bool IsDefined(this JobStatus status) => status is >= JobStatus.Scheduled and <= JobStatus.Cancelled;
}
