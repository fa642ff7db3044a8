using Ergate.Testing;
using Ergate.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ergate.Tests.Execution;

/// <summary>When the lease keeper renews a held delivery: once it has been held a third of the lease, then every third.</summary>
public sealed class LeaseKeeperTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Third = Lease / 3;

    [Fact]
    public async Task Hold_JustAfterATick_RenewedAtTheSecondTickNotTheFirst()
    {
        var time = EngineHarness.FakeTime();
        var (queue, keeper) = Create(time);
        using (keeper)
        {
            time.Advance(Third + TimeSpan.FromSeconds(1));
            keeper.Hold(await ReceiveAsync(queue));

            time.Advance(Third - TimeSpan.FromSeconds(1));
            Assert.Equal(0, queue.Renewals);

            time.Advance(Third);
            Assert.Equal(1, queue.Renewals);

            time.Advance(Third);
            Assert.Equal(2, queue.Renewals);
        }
    }

    [Fact]
    public async Task Release_BeforeAThirdOfTheLease_NeverRenewed()
    {
        var time = EngineHarness.FakeTime();
        var (queue, keeper) = Create(time);
        using (keeper)
        {
            var delivery = await ReceiveAsync(queue);
            keeper.Hold(delivery);
            time.Advance(Third - TimeSpan.FromSeconds(1));

            keeper.Release(delivery);
            time.Advance(Lease);

            Assert.Equal(0, queue.Renewals);
        }
    }

    private static (CountingQueue Queue, LeaseKeeper Keeper) Create(TimeProvider time)
    {
        var queue = new CountingQueue(new InMemoryJobQueue(time, Lease, TimeSpan.FromHours(1)));
        return (queue, new LeaseKeeper(new DeliveryQueue(queue, time), Lease, time, NullLogger.Instance));
    }

    private static async Task<JobDelivery> ReceiveAsync(CountingQueue queue)
    {
        await queue.PutAsync(new Job("w"), CancellationToken.None);
        return await queue.ReceiveAsync(CancellationToken.None);
    }

    private sealed class CountingQueue(InMemoryJobQueue inner) : ForwardingJobQueue<InMemoryJobQueue>(inner)
    {
        private int _renewals;

        public int Renewals => Volatile.Read(ref _renewals);

        public override Task<bool> RenewLeaseAsync(JobDelivery delivery, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _renewals);
            return base.RenewLeaseAsync(delivery, cancellationToken);
        }
    }
}
