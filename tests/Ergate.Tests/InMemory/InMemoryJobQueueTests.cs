using Ergate.Testing;

namespace Ergate.Tests.InMemory;

// The queue contract (Ergate.Testing) plus what only the in-memory queue exposes: its counts and dead-letter list, the
// runner's receive without a task, and leases keyed by delivery number.
public sealed class InMemoryJobQueueTests : JobQueueContractTests<InMemoryJobQueue>
{
    protected override bool CanPutRaw => true;

    protected override Task<InMemoryJobQueue> CreateQueueAsync(TimeProvider time, TimeSpan leaseDuration, TimeSpan pollInterval) =>
        Task.FromResult(new InMemoryJobQueue(time, leaseDuration, pollInterval));

    protected override Task PutRawAsync(InMemoryJobQueue queue, ReadOnlyMemory<byte> utf8Json) => queue.PutRawAsync(utf8Json);

    protected override Task<IReadOnlyList<DeadLetterEntry>?> ReadDeadLettersAsync(InMemoryJobQueue queue) =>
        Task.FromResult<IReadOnlyList<DeadLetterEntry>?>([.. queue.DeadLetters.Select(d => new DeadLetterEntry(d.Payload, d.Reason))]);

    [Fact]
    public async Task Count_LeasedMessage_CountedOnceUntilAcknowledged()
    {
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        Assert.Equal(1, Queue.Count);
        Assert.Equal(0, Queue.LeasedCount);

        var delivery = await ReceiveReadyAsync();
        Assert.Equal(1, Queue.Count);
        Assert.Equal(1, Queue.LeasedCount);

        await Queue.AcknowledgeAsync(delivery, CancellationToken.None);
        Assert.Equal(0, Queue.Count);
        Assert.Equal(0, Queue.LeasedCount);
    }

    [Fact]
    public async Task Count_GetOne_LeavesNothingBehind()
    {
        await Queue.PutAsync(NewJob(1), CancellationToken.None);

        await Queue.GetOneAsync(CancellationToken.None).WaitAsync(HangGuard);

        Assert.Equal(0, Queue.Count);
        Assert.Equal(0, Queue.LeasedCount);
    }

    [Fact]
    public async Task Count_ReleasedWithDelay_CountedAsDelayedNotLeased()
    {
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        var delivery = await ReceiveReadyAsync();

        await Queue.ReleaseAsync(delivery, TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal(1, Queue.Count);
        Assert.Equal(0, Queue.LeasedCount);
    }

    [Fact]
    public async Task Count_StaleAcknowledge_KeepsRedeliveredMessageAndItsLease()
    {
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        var stale = await ReceiveReadyAsync();
        Time.Advance(Lease + Tick);
        await ReceiveReadyAsync();

        await Queue.AcknowledgeAsync(stale, CancellationToken.None);

        Assert.Equal(1, Queue.Count);
        Assert.Equal(1, Queue.LeasedCount);
    }

    [Fact]
    public async Task Count_NotBeforeInFuture_CountsTheDelayedMessage()
    {
        await Queue.PutAsync(NewJob(1), Time.GetUtcNow() + TimeSpan.FromMinutes(10), CancellationToken.None);

        Assert.Equal(1, Queue.Count);
    }

    [Fact]
    public async Task Count_DeadLettered_NotCounted()
    {
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        var delivery = await ReceiveReadyAsync();

        await Queue.DeadLetterAsync(delivery, "bad", CancellationToken.None);

        Assert.Equal(0, Queue.Count);
        Assert.Single(Queue.DeadLetters);
    }

    [Fact]
    public async Task RequeueAsync_LeasedMessage_PutsNextStateAtTheBackAndSettlesTheDelivery()
    {
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        await Queue.PutAsync(NewJob(2), CancellationToken.None);
        var delivery = await ReceiveReadyAsync();

        await Queue.RequeueAsync(delivery, NewJob(3), CancellationToken.None);

        Assert.Equal(2, Queue.Count);
        Assert.Equal(0, Queue.LeasedCount);
        Assert.Equal(2, IdOf(await ReceiveReadyAsync()));
        var requeued = await ReceiveReadyAsync();
        Assert.Equal(3, IdOf(requeued));
        Assert.Equal(1, requeued.DeliveryCount);
        Assert.NotEqual(delivery.DeliveryId, requeued.DeliveryId);
    }

    [Fact]
    public async Task RequeueAsync_StaleLease_PutsAllTheSameAndKeepsRedeliveredMessage()
    {
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        var stale = await ReceiveReadyAsync();
        Time.Advance(Lease + Tick);
        var current = await ReceiveReadyAsync();

        await Queue.RequeueAsync(stale, NewJob(2), CancellationToken.None);

        Assert.Equal(2, Queue.Count);
        Assert.Equal(1, Queue.LeasedCount);
        Assert.Equal(2, IdOf(await ReceiveReadyAsync()));
        Assert.True(await Queue.RenewLeaseAsync(current, CancellationToken.None));
    }

    [Fact]
    public async Task RequeueAsync_DeliveredPayload_StaysAsItWas()
    {
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        var delivery = await ReceiveReadyAsync();

        await Queue.RequeueAsync(delivery, NewJob(2), CancellationToken.None);

        Assert.Equal(1, IdOf(delivery));
    }

    [Fact]
    public async Task TryReceive_ReadyMessage_LeasesItAsReceiveAsyncWould()
    {
        await Queue.PutAsync(NewJob(1), CancellationToken.None);

        Assert.True(Queue.TryReceive(out var delivery));

        Assert.Equal(1, delivery.DeliveryCount);
        Assert.Equal(1, Queue.LeasedCount);
        Assert.Equal(0, Queue.ReadyCount);
        Assert.False(Queue.TryReceive(out _));
        await Queue.AcknowledgeAsync(delivery, CancellationToken.None);
        Assert.Equal(0, Queue.Count);
    }

    [Fact]
    public void TryReceive_EmptyQueue_ReturnsFalse()
    {
        Assert.False(Queue.TryReceive(out var delivery));
        Assert.Null(delivery);
    }

    [Fact]
    public async Task AcknowledgeAsync_DeliveryRebuiltFromItsId_SettlesTheLease()
    {
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        var delivery = await ReceiveReadyAsync();

        await Queue.AcknowledgeAsync(new JobDelivery(delivery.DeliveryId, delivery.Payload), CancellationToken.None);

        Assert.Equal(0, Queue.LeasedCount);
        Assert.Equal(0, Queue.Count);
    }

    [Theory]
    [InlineData("0{0}")]
    [InlineData("+{0}")]
    [InlineData(" {0}")]
    [InlineData("{0}x")]
    [InlineData("0")]
    [InlineData("lease")]
    public async Task AcknowledgeAsync_IdThatOnlyReadsAsTheNumber_SettlesNothing(string format)
    {
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        var delivery = await ReceiveReadyAsync();
        var id = string.Format(System.Globalization.CultureInfo.InvariantCulture, format, delivery.DeliveryId);

        await Queue.AcknowledgeAsync(new JobDelivery(id, delivery.Payload), CancellationToken.None);

        Assert.Equal(1, Queue.LeasedCount);
    }
}
