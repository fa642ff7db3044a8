namespace Ergate;

/// <summary>
/// Thrown by a step to end the job as <see cref="JobStatus.Aborted"/> (Python Ergate's <c>AbortJob</c>).
/// Unlike any other exception it does not count as a failure: no <see cref="ErgateSignal.JobRunFail"/>.
/// </summary>
public sealed class AbortJob : Exception
{
    /// <summary>Aborts the job.</summary>
    /// <param name="message">Why; logged, not stored in the job (as in Ergate).</param>
    public AbortJob(string message = "The job was aborted.")
        : base(message)
    {
    }
}
