using Ergate.Testing;
using Ergate.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Ergate.Tests.Execution;

/// <summary>
/// With a state store that shares the queue's transactions, a step's result is stored, put and its delivery acknowledged
/// in one call to the store, a submission created and queued in one, and the settlement does not acknowledge again.
/// </summary>
public sealed class TransactionalStoreTests
{
    private static Workflow Counter(int steps = 3)
    {
        var workflow = new Workflow("counter");
        for (var i = 1; i <= steps; i++)
        {
            workflow.Step($"step_{i}", (int x) => x + 1);
        }

        return workflow;
    }

    [Fact]
    public async Task Deliveries_SharedTransactions_StoreResultPutAndAcknowledgeInOneCall_SettlementLeavesThemAlone()
    {
        CountingQueue? queue = null;
        TransactionalStore? store = null;
        await using var engine = EngineHarness.Create(
            e => e.AddWorkflow(Counter()),
            wrapQueue: q => queue = new CountingQueue(q),
            wrapStore: s => store = new TransactionalStore(s, queue!, shares: true));
        var job = EngineHarness.NewJob("counter", 0);
        var memory = new JobMemory();

        Assert.True(await engine.Services.GetRequiredService<JobProcessor>().CreateAsync(job, JobKeys.GetOrAssign(job), null, memory));
        var results = await engine.DrainAsync();

        Assert.Equal(3, results.Count);
        Assert.All(results, r => Assert.True(r.Settled && r.Outcome == DeliveryOutcome.Processed));
        Assert.Equal(1, store!.Creates);
        Assert.Equal(3, store.Settles);
        Assert.Equal(0, queue!.Acknowledgements);
        Assert.Equal(0, queue.Puts);
        Assert.Equal(0, engine.Queue.Count);
        Assert.Equal(JobStatus.Completed, (await engine.StoredAsync(job)).Status);
        Assert.Equal(3, (await engine.StoredAsync(job)).LastReturnValue.GetInt32());
    }

    [Fact]
    public async Task Deliveries_StoreSharesNoTransactionWithThisQueue_StoreThenPutThenAcknowledge()
    {
        CountingQueue? queue = null;
        TransactionalStore? store = null;
        await using var engine = EngineHarness.Create(
            e => e.AddWorkflow(Counter()),
            wrapQueue: q => queue = new CountingQueue(q),
            wrapStore: s => store = new TransactionalStore(s, queue!, shares: false));
        await engine.PutAsync(EngineHarness.NewJob("counter", 0));

        var results = await engine.DrainAsync();

        Assert.All(results, r => Assert.False(r.Settled));
        Assert.Equal(0, store!.Settles);
        Assert.Equal(3, queue!.Acknowledgements);
        Assert.Equal(2, queue.Puts);
    }

    [Fact]
    public async Task Delivery_ResultRefusedAsStale_NothingSettledInTheStore_TheSettlementAcknowledges()
    {
        CountingQueue? queue = null;
        TransactionalStore? store = null;
        await using var engine = EngineHarness.Create(
            e => e.AddWorkflow(Counter()),
            wrapQueue: q => queue = new CountingQueue(q),
            wrapStore: s => store = new TransactionalStore(s, queue!, shares: true) { RefuseSettles = true });
        await engine.PutAsync(EngineHarness.NewJob("counter", 0));

        var result = await engine.Runner.RunOnceAsync();

        Assert.Equal(DeliveryOutcome.Stale, result.Outcome);
        Assert.False(result.Settled);
        Assert.Equal(1, store!.Settles);
        Assert.Equal(1, queue!.Acknowledgements);
        Assert.Equal(0, engine.Queue.Count);
    }

    // Counts what the engine itself asks of the queue.
    private sealed class CountingQueue(InMemoryJobQueue inner) : ForwardingJobQueue<InMemoryJobQueue>(inner)
    {
        public int Acknowledgements;
        public int Puts;

        public override Task AcknowledgeAsync(JobDelivery delivery, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Acknowledgements);
            return base.AcknowledgeAsync(delivery, cancellationToken);
        }

        public override Task PutAsync(Job job, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Puts);
            return base.PutAsync(job, cancellationToken);
        }
    }

    // Stands for a store on the queue's database: its transaction is a sequence of calls on the in-memory backends,
    // made past the counting wrapper.
    private sealed class TransactionalStore(InMemoryJobStateStore inner, CountingQueue queue, bool shares) : ITransactionalJobStateStore
    {
        public int Creates;
        public int Settles;

        public bool RefuseSettles { get; init; }

        public bool SharesTransactionsWith(IJobQueue other) => shares && ReferenceEquals(other, queue);

        public async Task<bool> TryUpdateAndSettleAsync(IJobQueue other, JobDelivery delivery, string jobKey, Job job, bool put, CancellationToken cancellationToken)
        {
            Assert.Same(queue, other);
            Interlocked.Increment(ref Settles);
            if (RefuseSettles || !await inner.TryUpdateAsync(jobKey, job, cancellationToken))
            {
                return false;
            }

            if (put)
            {
                await queue.Inner.PutAsync(job, cancellationToken);
            }

            await queue.Inner.AcknowledgeAsync(delivery, cancellationToken);
            return true;
        }

        public async Task<bool> TryCreateAndPutAsync(IJobQueue other, string jobKey, Job job, DateTimeOffset? notBefore, CancellationToken cancellationToken)
        {
            Assert.Same(queue, other);
            Interlocked.Increment(ref Creates);
            if (!await inner.TryCreateAsync(jobKey, job, cancellationToken))
            {
                return false;
            }

            await queue.Inner.PutAsync(job, cancellationToken);
            return true;
        }

        public Task<bool> TryUpdateAsync(string jobKey, Job job, CancellationToken cancellationToken) => inner.TryUpdateAsync(jobKey, job, cancellationToken);

        public Task<bool> TryCreateAsync(string jobKey, Job job, CancellationToken cancellationToken) => inner.TryCreateAsync(jobKey, job, cancellationToken);

        public Task<StoredJob?> GetAsync(string jobKey, CancellationToken cancellationToken) => inner.GetAsync(jobKey, cancellationToken);

        public Task UpdateAsync(string jobKey, Job job, CancellationToken cancellationToken) => inner.UpdateAsync(jobKey, job, cancellationToken);
    }
}
