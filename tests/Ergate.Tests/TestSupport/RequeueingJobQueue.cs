using Ergate.Testing;

namespace Ergate.Tests.TestSupport;

/// <summary>
/// The in-memory queue with the requeue capability (a put then an acknowledgement, which in memory cannot fail
/// between the two), counting how the engine settles deliveries; it can be told to fail requeues.
/// </summary>
internal sealed class RequeueingJobQueue(InMemoryJobQueue inner) : ForwardingJobQueue<InMemoryJobQueue>(inner), IRequeueJobQueue
{
    private int _requeueFailuresLeft;

    public int Puts { get; private set; }

    public int Requeues { get; private set; }

    public int Acknowledgements { get; private set; }

    public void FailNextRequeues(int count) => _requeueFailuresLeft = count;

    public override Task PutAsync(Job job, CancellationToken cancellationToken)
    {
        Puts++;
        return base.PutAsync(job, cancellationToken);
    }

    public override Task AcknowledgeAsync(JobDelivery delivery, CancellationToken cancellationToken)
    {
        Acknowledgements++;
        return base.AcknowledgeAsync(delivery, cancellationToken);
    }

    public async Task RequeueAsync(JobDelivery delivery, Job job, CancellationToken cancellationToken)
    {
        if (_requeueFailuresLeft > 0)
        {
            _requeueFailuresLeft--;
            throw new JobQueueException("requeue failed (test)", isTransient: true);
        }

        Requeues++;
        await Inner.PutAsync(job, cancellationToken);
        await Inner.AcknowledgeAsync(delivery, cancellationToken);
    }
}
