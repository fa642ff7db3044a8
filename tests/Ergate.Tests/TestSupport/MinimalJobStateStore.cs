using System.Collections.Concurrent;

namespace Ergate.Tests.TestSupport;

/// <summary>The smallest state store a user writes (Ergate's: update), which cannot read back.</summary>
internal sealed class MinimalJobStateStore : IJobStateStore
{
    public ConcurrentQueue<Job> Updates { get; } = new();

    public Task UpdateAsync(string jobKey, Job job, CancellationToken cancellationToken)
    {
        Updates.Enqueue(JobJson.Deserialize(JobJson.SerializeToUtf8Bytes(job)));
        return Task.CompletedTask;
    }
}
