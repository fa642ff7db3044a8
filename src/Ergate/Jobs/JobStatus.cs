namespace Ergate;

/// <summary>
/// The status of a job, serialized as the same integers as Python Ergate's <c>JobStatus</c>.
/// </summary>
public enum JobStatus
{
    /// <summary>Submitted with a start time in the future; not yet due.</summary>
    Scheduled = 1,

    /// <summary>Waiting in the queue for its next step.</summary>
    Queued = 2,

    /// <summary>A step is running.</summary>
    Running = 3,

    /// <summary>Every step ran, or a step ended the job with <see cref="GoToEnd"/>. Final.</summary>
    Completed = 4,

    /// <summary>A step threw. Final.</summary>
    Failed = 5,

    /// <summary>A step threw <see cref="AbortJob"/>. Final.</summary>
    Aborted = 6,

    /// <summary>Created but not yet queued (reserved by Ergate; the engine never writes it).</summary>
    Pending = 7,

    /// <summary>A cancellation was requested; the job ends <see cref="Cancelled"/> at its next delivery.</summary>
    Cancelling = 8,

    /// <summary>Ended by a cancellation. Final.</summary>
    Cancelled = 9,
}
