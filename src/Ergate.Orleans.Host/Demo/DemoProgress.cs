namespace Ergate.Orleans.Host.Demo;

/// <summary>Counts what the silo did, fed by the JOB_RUN_END signal: steps run and jobs ended, by status.</summary>
internal sealed class DemoProgress
{
    private long _steps;
    private int _completed;
    private int _aborted;
    private int _failed;
    private int _cancelled;

    public long Steps => Interlocked.Read(ref _steps);

    public int Completed => Volatile.Read(ref _completed);

    public int Aborted => Volatile.Read(ref _aborted);

    public int Failed => Volatile.Read(ref _failed);

    public int Cancelled => Volatile.Read(ref _cancelled);

    public int Ended => Completed + Aborted + Failed + Cancelled;

    public void Record(Job job)
    {
        Interlocked.Increment(ref _steps);
        switch (job.Status)
        {
            case JobStatus.Completed:
                Interlocked.Increment(ref _completed);
                break;
            case JobStatus.Aborted:
                Interlocked.Increment(ref _aborted);
                break;
            case JobStatus.Failed:
                Interlocked.Increment(ref _failed);
                break;
            case JobStatus.Cancelled:
                Interlocked.Increment(ref _cancelled);
                break;
        }
    }
}
