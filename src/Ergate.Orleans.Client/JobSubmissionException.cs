namespace Ergate.Orleans;

/// <summary>A submission was rejected before anything was queued.</summary>
public sealed class JobSubmissionException : ErgateException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">Why.</param>
    /// <param name="message">The explanation.</param>
    public JobSubmissionException(SubmitRejection reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    /// <summary>Why the submission was rejected.</summary>
    public SubmitRejection Reason { get; }
}
