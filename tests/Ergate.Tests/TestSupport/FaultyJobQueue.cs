using Ergate.Testing;

namespace Ergate.Tests.TestSupport;

/// <summary>Wraps the in-memory queue and fails the puts it is told to: a stand-in for an unreachable broker in fault tests.</summary>
internal sealed class FaultyJobQueue(InMemoryJobQueue inner) : ForwardingJobQueue<InMemoryJobQueue>(inner)
{
    private int _putFailuresLeft;

    public void FailNextPuts(int count) => _putFailuresLeft = count;

    public override Task PutAsync(Job job, CancellationToken cancellationToken) => Put(() => base.PutAsync(job, cancellationToken));

    public override Task PutAsync(Job job, DateTimeOffset notBefore, CancellationToken cancellationToken) => Put(() => base.PutAsync(job, notBefore, cancellationToken));

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
