namespace Ergate.Conformance.Tests.Recording;

/// <summary>Wraps a store with every capability and records each update that is written.</summary>
public sealed class RecordingJobStateStore(InMemoryJobStateStore inner, EventRecorder recorder) : IConditionalJobStateStore
{
    public InMemoryJobStateStore Inner => inner;

    public async Task UpdateAsync(string jobKey, Job job, CancellationToken cancellationToken)
    {
        recorder.Update(job);
        await inner.UpdateAsync(jobKey, job, cancellationToken);
    }

    public Task<bool> TryUpdateAsync(string jobKey, Job job, CancellationToken cancellationToken) =>
        RecordIfWrittenAsync(job, () => inner.TryUpdateAsync(jobKey, job, cancellationToken));

    public Task<bool> TryCreateAsync(string jobKey, Job job, CancellationToken cancellationToken) =>
        RecordIfWrittenAsync(job, () => inner.TryCreateAsync(jobKey, job, cancellationToken));

    public Task<StoredJob?> GetAsync(string jobKey, CancellationToken cancellationToken) => inner.GetAsync(jobKey, cancellationToken);

    // The snapshot is taken before the write, which may go on to change the job it was given.
    private async Task<bool> RecordIfWrittenAsync(Job job, Func<Task<bool>> write)
    {
        var snapshot = job.Clone();
        var written = await write();
        if (written)
        {
            recorder.Update(snapshot);
        }

        return written;
    }
}
