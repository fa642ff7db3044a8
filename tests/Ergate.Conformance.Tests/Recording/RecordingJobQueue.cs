namespace Ergate.Conformance.Tests.Recording;

/// <summary>Wraps a queue with every capability and records each put.</summary>
public sealed class RecordingJobQueue(InMemoryJobQueue inner, EventRecorder recorder) : IDeadLetterJobQueue, IScheduledJobQueue
{
    public InMemoryJobQueue Inner => inner;

    public TimeSpan LeaseDuration => inner.LeaseDuration;

    public Task PutAsync(Job job, CancellationToken cancellationToken)
    {
        recorder.Put(job);
        return inner.PutAsync(job, cancellationToken);
    }

    public Task PutAsync(Job job, DateTimeOffset notBefore, CancellationToken cancellationToken)
    {
        recorder.Put(job);
        return inner.PutAsync(job, notBefore, cancellationToken);
    }

    public Task<Job> GetOneAsync(CancellationToken cancellationToken) => inner.GetOneAsync(cancellationToken);

    public Task<JobDelivery> ReceiveAsync(CancellationToken cancellationToken) => inner.ReceiveAsync(cancellationToken);

    public Task AcknowledgeAsync(JobDelivery delivery, CancellationToken cancellationToken) => inner.AcknowledgeAsync(delivery, cancellationToken);

    public Task ReleaseAsync(JobDelivery delivery, TimeSpan delay, CancellationToken cancellationToken) => inner.ReleaseAsync(delivery, delay, cancellationToken);

    public Task<bool> RenewLeaseAsync(JobDelivery delivery, CancellationToken cancellationToken) => inner.RenewLeaseAsync(delivery, cancellationToken);

    public Task DeadLetterAsync(JobDelivery delivery, string reason, CancellationToken cancellationToken) => inner.DeadLetterAsync(delivery, reason, cancellationToken);
}
