namespace Ergate;

/// <summary>The moments of a delivery at which user handlers run (Python Ergate's signals).</summary>
public enum ErgateSignal
{
    /// <summary>A delivered job is about to be processed (<c>JOB_RUN_START</c>).</summary>
    JobRunStart,

    /// <summary>The job was just marked <see cref="JobStatus.Failed"/> (<c>JOB_RUN_FAIL</c>).</summary>
    JobRunFail,

    /// <summary>Processing of the delivery is finished (<c>JOB_RUN_END</c>).</summary>
    JobRunEnd,
}
