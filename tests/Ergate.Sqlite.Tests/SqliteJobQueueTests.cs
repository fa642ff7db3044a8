using System.Collections.Concurrent;
using Ergate.Testing;
using Microsoft.Data.Sqlite;

namespace Ergate.Sqlite.Tests;

// The queue contract (Ergate.Testing) on a fresh file per test, plus what only a file-backed queue promises:
// durability across reopening, several instances (processes) on one file, and driver errors wrapped.
public sealed class SqliteJobQueueTests : JobQueueContractTests<SqliteJobQueue>
{
    private readonly TempDirectory _directory = new();
    private readonly List<SqliteJobQueue> _others = [];

    private string DatabasePath => _directory.File();

    protected override bool CanPutRaw => true;

    protected override Task<SqliteJobQueue> CreateQueueAsync(TimeProvider time, TimeSpan leaseDuration, TimeSpan pollInterval) =>
        Task.FromResult(Open(time, leaseDuration, pollInterval));

    protected override Task PutRawAsync(SqliteJobQueue queue, ReadOnlyMemory<byte> utf8Json) => queue.PutRawAsync(utf8Json);

    protected override async Task<IReadOnlyList<DeadLetterEntry>?> ReadDeadLettersAsync(SqliteJobQueue queue) =>
        [.. (await queue.GetDeadLettersAsync()).Select(d => new DeadLetterEntry(d.Payload, d.Reason))];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var other in _others)
        {
            await other.DisposeAsync();
        }

        _directory.Dispose();
    }

    private SqliteJobQueue Open(TimeProvider time, TimeSpan? leaseDuration = null, TimeSpan? pollInterval = null, string? path = null) =>
        new(new SqliteJobQueueOptions
        {
            DatabasePath = path ?? DatabasePath,
            LeaseDuration = leaseDuration ?? Lease,
            PollInterval = pollInterval ?? Tick,
        }, time);

    // A statement on a connection of its own, as another program would run it (used to make writes fail).
    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    // A second instance on the same file, as another process would open it (its own connections and writer).
    private SqliteJobQueue OpenOther()
    {
        var other = Open(Time);
        _others.Add(other);
        return other;
    }

    [Fact]
    public async Task PutAsync_ThenReopen_JobStillThere()
    {
        var job = JobJson.Deserialize("""{"id": "durable", "workflow_name": "w", "steps_completed": 1, "last_return_value": {"v": [1, 2]}}""");
        await Queue.PutAsync(job, CancellationToken.None);
        await Queue.DisposeAsync();

        await using var reopened = Open(Time);
        var delivery = await reopened.ReceiveAsync(CancellationToken.None).WaitAsync(HangGuard);

        Assert.Equal(JobJson.SerializeToUtf8Bytes(job), delivery.Payload.ToArray());
        Assert.Equal(1, delivery.DeliveryCount);
        Assert.Equal(1, await reopened.CountAsync());
    }

    [Fact]
    public async Task ReceiveAsync_LeasedNotAcknowledgedThenReopened_ComesBackAfterExpiry()
    {
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        var first = await ReceiveReadyAsync();
        await Queue.DisposeAsync();

        await using var reopened = Open(Time);
        Time.Advance(Lease - Tick);
        await reopened.PutAsync(NewJob(99), CancellationToken.None);
        var marker = await reopened.ReceiveAsync(CancellationToken.None).WaitAsync(HangGuard);
        Assert.Equal(99, IdOf(marker));
        await reopened.AcknowledgeAsync(marker, CancellationToken.None);
        Time.Advance(Tick);
        var again = await reopened.ReceiveAsync(CancellationToken.None).WaitAsync(HangGuard);

        Assert.Equal(first.MessageId, again.MessageId);
        Assert.Equal(2, again.DeliveryCount);
        Assert.Equal(first.Payload.ToArray(), again.Payload.ToArray());
    }

    [Fact]
    public async Task DeadLetterAsync_ThenReopen_DeadLetterStillThere()
    {
        await Queue.PutRawAsync("""{"not": "a job"}"""u8.ToArray());
        var delivery = await ReceiveReadyAsync();
        await Queue.DeadLetterAsync(delivery, "InvalidJobDataException: missing 'workflow_name'", CancellationToken.None);
        await Queue.DisposeAsync();

        await using var reopened = Open(Time);
        var deadLetter = Assert.Single(await reopened.GetDeadLettersAsync());

        Assert.Equal("""{"not": "a job"}"""u8.ToArray(), deadLetter.Payload.ToArray());
        Assert.Equal("InvalidJobDataException: missing 'workflow_name'", deadLetter.Reason);
        Assert.Equal(delivery.MessageId, deadLetter.MessageId);
        Assert.Equal(1, deadLetter.DeliveryCount);
        Assert.Equal(Time.GetUtcNow(), deadLetter.DeadLetteredAt);
        Assert.Equal(0, await reopened.CountAsync());
    }

    [Fact]
    public async Task ReceiveAsync_TwoInstancesOnOneFile_NeverDeliverSameJobTwice()
    {
        const int Jobs = 500;
        var other = OpenOther();
        var puts = new List<Task>();
        for (var id = 0; id < Jobs; id++)
        {
            puts.Add((id % 2 == 0 ? Queue : other).PutAsync(NewJob(id), CancellationToken.None));
        }

        await Task.WhenAll(puts).WaitAsync(HangGuard);
        await AssertEachDeliveredOnceAsync(Jobs, [Queue, other, Queue, other], firstDeliveriesOnly: false);
    }

    [Fact]
    public async Task ReceiveAsync_TwoPrefetchingInstancesOnOneFile_NeverDeliverSameJobTwice()
    {
        const int Jobs = 600;
        var other = OpenOther();
        Queue.FixBatchSize(16);
        other.FixBatchSize(16);
        for (var id = 0; id < Jobs; id++)
        {
            await Queue.PutAsync(NewJob(id), CancellationToken.None);
        }

        await AssertEachDeliveredOnceAsync(Jobs, [Queue, other, Queue, other, Queue, other], firstDeliveriesOnly: true);
    }

    // Receives and acknowledges with one loop per entry of receivers until jobs 0..jobs-1 are all in, then checks each
    // came exactly once and nothing is left.
    private async Task AssertEachDeliveredOnceAsync(int jobs, SqliteJobQueue[] receivers, bool firstDeliveriesOnly)
    {
        var seen = new ConcurrentDictionary<int, int>();
        var received = 0;
        using var done = new CancellationTokenSource();
        var loops = receivers.Select(queue => Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var delivery = await queue.ReceiveAsync(done.Token);
                    seen.AddOrUpdate(IdOf(delivery), 1, static (_, n) => n + 1);
                    if (firstDeliveriesOnly)
                    {
                        Assert.Equal(1, delivery.DeliveryCount);
                    }

                    await queue.AcknowledgeAsync(delivery, CancellationToken.None);
                    if (Interlocked.Increment(ref received) == jobs)
                    {
                        await done.CancelAsync();
                    }
                }
            }
            catch (OperationCanceledException) when (done.IsCancellationRequested)
            {
            }
        })).ToList();

        await Task.WhenAll(loops).WaitAsync(HangGuard);

        Assert.Equal(Enumerable.Range(0, jobs), seen.Keys.Order());
        Assert.All(seen.Values, count => Assert.Equal(1, count));
        Assert.Equal(0, await Queue.CountAsync());
    }

    [Fact]
    public async Task ReceiveAsync_Prefetching_HandsOutInOrderFromTheBuffer()
    {
        Queue.FixBatchSize(8);
        var now = Time.GetUtcNow();
        await Queue.PutAsync(NewJob(3), now + TimeSpan.FromSeconds(3), CancellationToken.None);
        await Queue.PutAsync(NewJob(1), now + TimeSpan.FromSeconds(1), CancellationToken.None);
        await Queue.PutAsync(NewJob(2), now + TimeSpan.FromSeconds(2), CancellationToken.None);
        Time.Advance(TimeSpan.FromSeconds(3));
        await Queue.PutAsync(NewJob(4), CancellationToken.None);

        var first = await ReceiveReadyAsync();

        Assert.Equal(1, IdOf(first));
        Assert.Equal(3, Queue.BufferedCount);
        var rest = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            rest.Add(IdOf(await ReceiveReadyAsync()));
        }

        Assert.Equal([2, 3, 4], rest);
        Assert.Equal(0, Queue.BufferedCount);
    }

    [Fact]
    public async Task TryReceive_HandsOutPrefetchedDeliveriesInOrder_AndNothingWithoutALease()
    {
        Queue.FixBatchSize(8);
        for (var id = 1; id <= 3; id++)
        {
            await Queue.PutAsync(NewJob(id), CancellationToken.None);
        }

        Assert.False(Queue.TryReceive(out _)); // nothing prefetched yet: the file is not read here
        var first = await ReceiveReadyAsync();
        Assert.True(Queue.TryReceive(out var second));
        Assert.True(Queue.TryReceive(out var third));

        Assert.Equal([1, 2, 3], [IdOf(first), IdOf(second), IdOf(third)]);
        Assert.False(Queue.TryReceive(out _));
        await Queue.AcknowledgeAsync(second, CancellationToken.None);
        Time.Advance(Lease + Tick);
        var redelivered = new List<int> { IdOf(await ReceiveReadyAsync()) };
        redelivered.Add(Queue.TryReceive(out var next) ? IdOf(next) : IdOf(await ReceiveReadyAsync()));
        Assert.Equal([1, 3], redelivered);
    }

    [Fact]
    public async Task ReceiveAsync_PrefetchedByAnotherInstance_InvisibleUntilItsLeaseExpires()
    {
        var other = OpenOther();
        other.FixBatchSize(8);
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        await Queue.PutAsync(NewJob(2), CancellationToken.None);
        var taken = await other.ReceiveAsync(CancellationToken.None).WaitAsync(HangGuard);
        Assert.Equal(1, IdOf(taken));
        Assert.Equal(1, other.BufferedCount);
        await other.AcknowledgeAsync(taken, CancellationToken.None);

        await AssertNothingVisibleAsync();
        Time.Advance(Lease + Tick);
        var again = await ReceiveReadyAsync();

        Assert.Equal(2, IdOf(again));
        Assert.Equal(2, again.DeliveryCount);
        await Queue.AcknowledgeAsync(again, CancellationToken.None);

        // The other instance's buffered delivery of job 2 has run out: it is dropped, never handed out.
        await other.PutAsync(NewJob(3), CancellationToken.None);
        var next = await other.ReceiveAsync(CancellationToken.None).WaitAsync(HangGuard);
        Assert.Equal(3, IdOf(next));
        Assert.Equal(0, other.BufferedCount);
        Assert.Equal(1, await Queue.CountAsync());
    }

    [Fact]
    public async Task ReceiveAsync_PrefetchedPastTwoThirdsOfItsLease_GivenBackAndLeasedAfresh()
    {
        Queue.FixBatchSize(8);
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        await Queue.PutAsync(NewJob(2), CancellationToken.None);
        var first = await ReceiveReadyAsync();
        Assert.Equal(1, Queue.BufferedCount);

        Time.Advance(Lease / 3 + Tick);
        var second = await ReceiveReadyAsync();

        Assert.Equal(2, IdOf(second));
        Assert.Equal(1, second.DeliveryCount);
        Assert.True(await Queue.RenewLeaseAsync(second, CancellationToken.None));
        Assert.False(await Queue.RenewLeaseAsync(new JobDelivery(second.DeliveryId.Split(':')[0] + ":" + first.DeliveryId.Split(':')[1], second.Payload), CancellationToken.None));
    }

    [Fact]
    public async Task DisposeAsync_WithPrefetchedDeliveries_GivesThemBack()
    {
        Queue.FixBatchSize(8);
        for (var id = 1; id <= 4; id++)
        {
            await Queue.PutAsync(NewJob(id), CancellationToken.None);
        }

        var first = await ReceiveReadyAsync();
        Assert.Equal(3, Queue.BufferedCount);
        await Queue.DisposeAsync();

        await using var reopened = Open(Time);
        var second = await reopened.ReceiveAsync(CancellationToken.None).WaitAsync(HangGuard);

        Assert.Equal(1, IdOf(first));
        Assert.Equal(2, IdOf(second));
        Assert.Equal(1, second.DeliveryCount);
    }

    [Fact]
    public async Task ReceiveAsync_BatchSizeOne_NeverBuffers()
    {
        await using var single = new SqliteJobQueue(new SqliteJobQueueOptions { DatabasePath = DatabasePath, ReceiveBatchSize = 1, PollInterval = Tick }, Time);
        single.FixBatchSize(8);
        await single.PutAsync(NewJob(1), CancellationToken.None);
        await single.PutAsync(NewJob(2), CancellationToken.None);

        await single.ReceiveAsync(CancellationToken.None).WaitAsync(HangGuard);

        Assert.Equal(0, single.BufferedCount);
    }

    [Fact]
    public async Task ReceiveAsync_PutByAnotherInstance_SeenAtTheNextPoll()
    {
        var other = OpenOther();
        var waiting = Queue.ReceiveAsync(CancellationToken.None);

        await other.PutAsync(NewJob(42), CancellationToken.None);
        var delivery = await AdvanceUntilAsync(waiting, TimeSpan.FromSeconds(5));

        Assert.Equal(42, IdOf(delivery));
    }

    [Fact]
    public async Task AcknowledgeAsync_ByAnotherInstance_SettlesTheDelivery()
    {
        var other = OpenOther();
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        var delivery = await ReceiveReadyAsync();

        Assert.True(await other.RenewLeaseAsync(delivery, CancellationToken.None));
        await other.AcknowledgeAsync(delivery, CancellationToken.None);

        Assert.Equal(0, await Queue.CountAsync());
    }

    [Fact]
    public async Task AcknowledgeAsync_DeliveryOfAnotherQueueType_ThrowsArgumentException()
    {
        var foreign = new JobDelivery("17", "{}"u8.ToArray());

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Queue.AcknowledgeAsync(foreign, CancellationToken.None));

        Assert.Equal("delivery", error.ParamName);
        Assert.Contains("'17'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutAsync_FileLockedByAnotherConnection_ThrowsTransientJobQueueException()
    {
        await using var queue = new SqliteJobQueue(new SqliteJobQueueOptions { DatabasePath = DatabasePath, BusyTimeout = TimeSpan.FromMilliseconds(10) }, Time);
        await queue.PutAsync(NewJob(0), CancellationToken.None);
        await using var blocker = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await blocker.OpenAsync();
        using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE";
            await begin.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<JobQueueException>(() => queue.PutAsync(NewJob(1), CancellationToken.None).WaitAsync(HangGuard));

        Assert.True(error.IsTransient);
        Assert.IsType<SqliteException>(error.InnerException);
        Assert.Contains(DatabasePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("put", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutAsync_PathIsAFolder_ThrowsNonTransientJobQueueException()
    {
        await using var queue = new SqliteJobQueue(new SqliteJobQueueOptions { DatabasePath = _directory.Path }, Time);

        var error = await Assert.ThrowsAsync<JobQueueException>(() => queue.PutAsync(NewJob(1), CancellationToken.None).WaitAsync(HangGuard));

        Assert.False(error.IsTransient);
        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public async Task Open_MissingFolder_CreatesIt()
    {
        var path = Path.Combine(_directory.Path, "a", "b", "jobs.db");
        await using var queue = Open(Time, path: path);

        await queue.PutAsync(NewJob(1), CancellationToken.None);

        Assert.True(File.Exists(path));
        Assert.Equal(path, queue.DatabasePath);
    }

    [Fact]
    public async Task ReceiveAsync_QueueDisposedWhileWaiting_ThrowsObjectDisposed()
    {
        var waiting = Queue.ReceiveAsync(CancellationToken.None);

        await Queue.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting.WaitAsync(HangGuard));
    }

    [Fact]
    public async Task PutAsync_AfterDispose_ThrowsObjectDisposed()
    {
        await Queue.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => Queue.PutAsync(NewJob(1), CancellationToken.None));
    }

    [Fact]
    public async Task RequeueAsync_HeldLease_ReplacesTheDeliveryWithTheNextState()
    {
        Queue.FixBatchSize(1);
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        var delivery = await ReceiveReadyAsync();

        var next = NewJob(1);
        next.StepsCompleted = 1;
        await Queue.RequeueAsync(delivery, next, CancellationToken.None);

        Assert.Equal(1, await Queue.CountAsync());
        var again = await ReceiveReadyAsync();
        Assert.Equal(JobJson.SerializeToUtf8Bytes(next), again.Payload.ToArray());
        Assert.Equal(1, again.DeliveryCount);
        Assert.NotEqual(delivery.MessageId, again.MessageId);
        Assert.NotEqual(delivery.DeliveryId, again.DeliveryId);

        // The old delivery is settled: it neither renews nor removes the new message.
        Assert.False(await Queue.RenewLeaseAsync(delivery, CancellationToken.None));
        await Queue.AcknowledgeAsync(delivery, CancellationToken.None);
        Assert.Equal(1, await Queue.CountAsync());
    }

    [Fact]
    public async Task RequeueAsync_GoesToTheBack_AfterEarlierPutsAndBeforeLaterOnes()
    {
        Queue.FixBatchSize(1);
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        await Queue.PutAsync(NewJob(2), CancellationToken.None);
        var first = await ReceiveReadyAsync();
        Assert.Equal(1, IdOf(first));

        await Queue.RequeueAsync(first, NewJob(11), CancellationToken.None);
        await Queue.PutAsync(NewJob(3), CancellationToken.None);

        var order = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var delivery = await ReceiveReadyAsync();
            order.Add(IdOf(delivery));
            await Queue.AcknowledgeAsync(delivery, CancellationToken.None);
        }

        Assert.Equal([2, 11, 3], order);
    }

    [Fact]
    public async Task RequeueAsync_NewestRow_NextStateStillAfterItAndLaterPuts()
    {
        // The delivered row is the newest: the requeued one must not take its place (ids order equal times).
        Queue.FixBatchSize(1);
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        var first = await ReceiveReadyAsync();

        await Queue.RequeueAsync(first, NewJob(11), CancellationToken.None);
        await Queue.PutAsync(NewJob(2), CancellationToken.None);

        Assert.Equal(11, IdOf(await ReceiveReadyAsync()));
        Assert.Equal(2, IdOf(await ReceiveReadyAsync()));
    }

    [Fact]
    public async Task RequeueAsync_LeaseLost_StillPutsTheNextStateAndLeavesTheRedelivery()
    {
        Queue.FixBatchSize(1);
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        var stale = await ReceiveReadyAsync();
        Time.Advance(Lease + Tick);
        var redelivered = await ReceiveReadyAsync();
        Assert.Equal(2, redelivered.DeliveryCount);

        await Queue.RequeueAsync(stale, NewJob(11), CancellationToken.None);

        // Both copies exist: the redelivered one stays leased to its new holder, the next state is visible.
        Assert.Equal(2, await Queue.CountAsync());
        var next = await ReceiveReadyAsync();
        Assert.Equal(11, IdOf(next));
        Assert.Equal(1, next.DeliveryCount);
        Assert.True(await Queue.RenewLeaseAsync(redelivered, CancellationToken.None));
    }

    [Fact]
    public async Task RequeueAsync_LeaseExpiredNotRedelivered_PutsTheNextStateAndLeavesTheOldVisible()
    {
        Queue.FixBatchSize(1);
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        var stale = await ReceiveReadyAsync();
        Time.Advance(Lease + Tick);

        await Queue.RequeueAsync(stale, NewJob(11), CancellationToken.None);

        Assert.Equal(2, await Queue.CountAsync());
        Assert.Equal(1, IdOf(await ReceiveReadyAsync()));
        Assert.Equal(11, IdOf(await ReceiveReadyAsync()));
    }

    [Fact]
    public async Task RequeueAsync_PutFails_DeliveryStaysLeasedAndUnacknowledged()
    {
        Queue.FixBatchSize(1);
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        var delivery = await ReceiveReadyAsync();
        await ExecuteAsync("CREATE TRIGGER refuse_insert BEFORE INSERT ON ergate_messages BEGIN SELECT RAISE(ABORT, 'refused'); END");

        await Assert.ThrowsAsync<JobQueueException>(() => Queue.RequeueAsync(delivery, NewJob(11), CancellationToken.None).WaitAsync(HangGuard));

        await ExecuteAsync("DROP TRIGGER refuse_insert");
        Assert.Equal(1, await Queue.CountAsync());
        Assert.True(await Queue.RenewLeaseAsync(delivery, CancellationToken.None));
    }

    [Fact]
    public async Task RequeueAsync_AcknowledgementFails_NextStateNotPut()
    {
        Queue.FixBatchSize(1);
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        var delivery = await ReceiveReadyAsync();
        await ExecuteAsync("CREATE TRIGGER refuse_delete BEFORE DELETE ON ergate_messages BEGIN SELECT RAISE(ABORT, 'refused'); END");

        await Assert.ThrowsAsync<JobQueueException>(() => Queue.RequeueAsync(delivery, NewJob(11), CancellationToken.None).WaitAsync(HangGuard));

        await ExecuteAsync("DROP TRIGGER refuse_delete");
        Assert.Equal(1, await Queue.CountAsync());
        Assert.True(await Queue.RenewLeaseAsync(delivery, CancellationToken.None));
        await AssertNothingVisibleAsync();
    }

    [Fact]
    public async Task RequeueAsync_ScheduledPutPending_NextStateVisibleAtOnceAndScheduledStaysHidden()
    {
        Queue.FixBatchSize(1);
        await Queue.PutAsync(NewJob(5), Time.GetUtcNow() + TimeSpan.FromMinutes(5), CancellationToken.None);
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        var delivery = await ReceiveReadyAsync();

        await Queue.RequeueAsync(delivery, NewJob(11), CancellationToken.None);

        var next = await ReceiveReadyAsync();
        Assert.Equal(11, IdOf(next));
        await Queue.AcknowledgeAsync(next, CancellationToken.None);
        await AssertNothingVisibleAsync();
    }

    [Fact]
    public async Task RequeueAsync_ReceiverWaiting_WakesItWithoutThePoll()
    {
        Queue.FixBatchSize(1);
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        var delivery = await ReceiveReadyAsync();
        var waiting = Queue.ReceiveAsync(CancellationToken.None);

        await Queue.RequeueAsync(delivery, NewJob(11), CancellationToken.None);

        Assert.Equal(11, IdOf(await waiting.WaitAsync(HangGuard)));
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsOptionsValidationException()
    {
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => new SqliteJobQueue(new SqliteJobQueueOptions { DatabasePath = DatabasePath, LeaseDuration = TimeSpan.Zero }));

        Assert.Contains("Ergate:Queue:LeaseDuration", error.Message, StringComparison.Ordinal);
    }
}
