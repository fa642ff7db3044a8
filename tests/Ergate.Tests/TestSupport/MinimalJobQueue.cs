using System.Threading.Channels;

namespace Ergate.Tests.TestSupport;

/// <summary>The smallest queue a user writes (Ergate's: get one, put), over a channel of JSON bytes.</summary>
internal sealed class MinimalJobQueue : IJobQueue
{
    private readonly Channel<byte[]> _channel = Channel.CreateUnbounded<byte[]>();
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public async Task<Job> GetOneAsync(CancellationToken cancellationToken)
    {
        var bytes = await _channel.Reader.ReadAsync(cancellationToken);
        Interlocked.Decrement(ref _count);
        return JobJson.Deserialize(bytes);
    }

    public Task PutAsync(Job job, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _count);
        _channel.Writer.TryWrite(JobJson.SerializeToUtf8Bytes(job));
        return Task.CompletedTask;
    }
}
