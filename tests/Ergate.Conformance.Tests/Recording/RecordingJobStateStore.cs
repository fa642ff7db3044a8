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

    public async Task<bool> TryUpdateAsync(string jobKey, Job job, CancellationToken cancellationToken)
    {
        var snapshot = job.Clone();
        var written = await inner.TryUpdateAsync(jobKey, job, cancellationToken);
        if (written)
        {
            recorder.Update(snapshot);
        }

        return written;
    }

    public async Task<bool> TryCreateAsync(string jobKey, Job job, CancellationToken cancellationToken)
    {
        var snapshot = job.Clone();
        var written = await inner.TryCreateAsync(jobKey, job, cancellationToken);
        if (written)
        {
            recorder.Update(snapshot);
        }

        return written;
    }

    public Task<StoredJob?> GetAsync(string jobKey, CancellationToken cancellationToken) => inner.GetAsync(jobKey, cancellationToken);
}
