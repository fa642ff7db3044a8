namespace Ergate.Tests.TestSupport;

/// <summary>Wraps the in-memory queue and fails the puts it is told to: a stand-in for an unreachable broker in fault tests.</summary>
internal sealed class FaultyJobQueue(InMemoryJobQueue inner) : IDeadLetterJobQueue, IScheduledJobQueue
{
    private int _putFailuresLeft;

    public void FailNextPuts(int count) => _putFailuresLeft = count;

    public TimeSpan LeaseDuration => inner.LeaseDuration;

    public Task PutAsync(Job job, CancellationToken cancellationToken) => Put(() => inner.PutAsync(job, cancellationToken));

    public Task PutAsync(Job job, DateTimeOffset notBefore, CancellationToken cancellationToken) => Put(() => inner.PutAsync(job, notBefore, cancellationToken));

    public Task<Job> GetOneAsync(CancellationToken cancellationToken) => inner.GetOneAsync(cancellationToken);

    public Task<JobDelivery> ReceiveAsync(CancellationToken cancellationToken) => inner.ReceiveAsync(cancellationToken);

    public Task AcknowledgeAsync(JobDelivery delivery, CancellationToken cancellationToken) => inner.AcknowledgeAsync(delivery, cancellationToken);

    public Task ReleaseAsync(JobDelivery delivery, TimeSpan delay, CancellationToken cancellationToken) => inner.ReleaseAsync(delivery, delay, cancellationToken);

    public Task<bool> RenewLeaseAsync(JobDelivery delivery, CancellationToken cancellationToken) => inner.RenewLeaseAsync(delivery, cancellationToken);

    public Task DeadLetterAsync(JobDelivery delivery, string reason, CancellationToken cancellationToken) => inner.DeadLetterAsync(delivery, reason, cancellationToken);

    private Task Put(Func<Task> put)
    {
        if (_putFailuresLeft > 0)
        {
            _putFailuresLeft--;
            throw new IOException("The broker is unreachable.");
        }

        return put();
    }
}
