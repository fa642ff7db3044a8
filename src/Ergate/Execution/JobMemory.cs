namespace Ergate;

/// <summary>
/// What a worker (or a job grain) remembers about one job between deliveries. With a state store that cannot read
/// back, this is all the stale-delivery check has, and a restart forgets it.
/// </summary>
/// <remarks>Not thread-safe: one job is processed by one caller at a time.</remarks>
public sealed class JobMemory
{
    /// <summary>The steps completed of the last state this worker stored, if any.</summary>
    public int? StepsCompleted { get; set; }

    /// <summary>The status of the last state this worker stored, if any.</summary>
    public JobStatus? Status { get; set; }

    /// <summary>Whether a cancellation was requested: the next delivery ends the job CANCELLED without running it.</summary>
    public bool IsCancelRequested { get; set; }

    /// <summary>The steps completed of the stored state this worker last put on the queue again, so it does so once.</summary>
    public int? RequeuedStepsCompleted { get; set; }

    /// <summary>
    /// The last state this worker stored, if any; kept only when the store cannot read back (it is then the only copy
    /// to answer reads from), so memory does not hold a job per job in flight for nothing.
    /// </summary>
    public Job? Last { get; private set; }

    /// <summary>Called after each state this worker stores (a job grain feeds its watchers from it).</summary>
    public Action<Job>? Stored { get; set; }

    internal void Remember(Job job, bool keepJob)
    {
        StepsCompleted = job.StepsCompleted;
        Status = job.Status;
        Last = keepJob ? job : null;
        Stored?.Invoke(job);
    }
}
