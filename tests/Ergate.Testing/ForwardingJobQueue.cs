namespace Ergate.Testing;

/// <summary>
/// A queue with every capability that forwards each call to <see cref="Inner"/>; tests derive from it to record or
/// fail chosen calls without restating the rest.
/// </summary>
/// <typeparam name="TQueue">The wrapped queue.</typeparam>
public class ForwardingJobQueue<TQueue>(TQueue inner) : IDeadLetterJobQueue, IScheduledJobQueue
    where TQueue : IDeadLetterJobQueue, IScheduledJobQueue
{
    public TQueue Inner => inner;

    public TimeSpan LeaseDuration => inner.LeaseDuration;

    public virtual Task PutAsync(Job job, CancellationToken cancellationToken) => inner.PutAsync(job, cancellationToken);

    public virtual Task PutAsync(Job job, DateTimeOffset notBefore, CancellationToken cancellationToken) => inner.PutAsync(job, notBefore, cancellationToken);

    public virtual Task<Job> GetOneAsync(CancellationToken cancellationToken) => inner.GetOneAsync(cancellationToken);

    public virtual Task<JobDelivery> ReceiveAsync(CancellationToken cancellationToken) => inner.ReceiveAsync(cancellationToken);

    public virtual Task AcknowledgeAsync(JobDelivery delivery, CancellationToken cancellationToken) => inner.AcknowledgeAsync(delivery, cancellationToken);

    public virtual Task ReleaseAsync(JobDelivery delivery, TimeSpan delay, CancellationToken cancellationToken) => inner.ReleaseAsync(delivery, delay, cancellationToken);

    public virtual Task<bool> RenewLeaseAsync(JobDelivery delivery, CancellationToken cancellationToken) => inner.RenewLeaseAsync(delivery, cancellationToken);

    public virtual Task DeadLetterAsync(JobDelivery delivery, string reason, CancellationToken cancellationToken) => inner.DeadLetterAsync(delivery, reason, cancellationToken);
}
