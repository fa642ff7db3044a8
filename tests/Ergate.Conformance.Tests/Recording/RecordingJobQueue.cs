using Ergate.Testing;

namespace Ergate.Conformance.Tests.Recording;

/// <summary>Wraps a queue with every capability and records each put.</summary>
public sealed class RecordingJobQueue(InMemoryJobQueue inner, EventRecorder recorder) : ForwardingJobQueue<InMemoryJobQueue>(inner)
{
    public override Task PutAsync(Job job, CancellationToken cancellationToken)
    {
        recorder.Put(job);
        return base.PutAsync(job, cancellationToken);
    }

    public override Task PutAsync(Job job, DateTimeOffset notBefore, CancellationToken cancellationToken)
    {
        recorder.Put(job);
        return base.PutAsync(job, notBefore, cancellationToken);
    }
}
