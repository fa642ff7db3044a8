using Ergate.Sqlite.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Ergate.Sqlite.Tests;

// The store's writes that share a transaction with the queue on the same database: a result stored, put and its delivery
// acknowledged together, and a job created and queued together.
public sealed class SqliteTransactionalStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(Start);
    private readonly SqliteDatabase _database;
    private readonly SqliteJobQueue _queue;
    private readonly SqliteJobStateStore _store;

    public SqliteTransactionalStoreTests()
    {
        var path = _directory.File();
        _database = new SqliteDatabase(path, TimeSpan.FromSeconds(5), NullLogger.Instance);
        _queue = new SqliteJobQueue(new SqliteJobQueueOptions { DatabasePath = path, LeaseDuration = Lease }, _database, _time, null);
        _store = new SqliteJobStateStore(new SqliteJobStateStoreOptions { DatabasePath = path }, _database, _time, null);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _queue.DisposeAsync();
        await _store.DisposeAsync();
        await _database.DisposeAsync();
        _directory.Dispose();
    }

    private static Job NewJob(int stepsCompleted, JobStatus status) => new("w")
    {
        Id = JsonValues.Parse("\"job-1\""),
        Status = status,
        StepsCompleted = stepsCompleted,
        CurrentStep = stepsCompleted,
    };

    private Task<JobDelivery> ReceiveAsync() => _queue.ReceiveAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

    private async Task<JobDelivery> CreateAndReceiveAsync()
    {
        Assert.True(await _store.TryCreateAndPutAsync(_queue, "k1", NewJob(0, JobStatus.Queued), null, CancellationToken.None));
        return await ReceiveAsync();
    }

    [Fact]
    public async Task SharesTransactionsWith_OnlyTheQueueOnTheSameDatabaseInstance()
    {
        await using var apart = new SqliteJobQueue(new SqliteJobQueueOptions { DatabasePath = _directory.File() }, _time);

        Assert.True(_store.SharesTransactionsWith(_queue));
        Assert.False(_store.SharesTransactionsWith(apart));
        Assert.False(_store.SharesTransactionsWith(new InMemoryJobQueue()));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.TryCreateAndPutAsync(apart, "k1", NewJob(0, JobStatus.Queued), null, CancellationToken.None));
        Assert.Null(await _store.GetAsync("k1", CancellationToken.None));
    }

    [Fact]
    public async Task TryCreateAndPutAsync_NewKey_StoresAndQueuesTheJob_TakenKey_DoesNeither()
    {
        Assert.True(await _store.TryCreateAndPutAsync(_queue, "k1", NewJob(0, JobStatus.Queued), null, CancellationToken.None));
        Assert.False(await _store.TryCreateAndPutAsync(_queue, "k1", NewJob(0, JobStatus.Queued), null, CancellationToken.None));

        Assert.Equal(JobStatus.Queued, (await _store.GetAsync("k1", CancellationToken.None))!.Job.Status);
        Assert.Equal(1, await _queue.CountAsync());
        Assert.Equal("job-1", JobJson.Deserialize((await ReceiveAsync()).Payload).Id.GetString());
    }

    [Fact]
    public async Task TryCreateAndPutAsync_NotBefore_QueuesTheJobHiddenUntilThen()
    {
        Assert.True(await _store.TryCreateAndPutAsync(_queue, "k1", NewJob(0, JobStatus.Scheduled), Start + TimeSpan.FromMinutes(5), CancellationToken.None));

        var early = _queue.ReceiveAsync(CancellationToken.None);
        await Task.Delay(100);
        Assert.False(early.IsCompleted);

        _time.Advance(TimeSpan.FromMinutes(5));
        var delivery = await early.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(JobStatus.Scheduled, JobJson.Deserialize(delivery.Payload).Status);
    }

    [Fact]
    public async Task TryUpdateAndSettleAsync_Written_StoresPutsAndAcknowledges()
    {
        var delivery = await CreateAndReceiveAsync();

        Assert.True(await _store.TryUpdateAndSettleAsync(_queue, delivery, "k1", NewJob(1, JobStatus.Queued), put: true, CancellationToken.None));

        Assert.Equal(1, (await _store.GetAsync("k1", CancellationToken.None))!.Job.StepsCompleted);
        Assert.Equal(1, await _queue.CountAsync());
        Assert.Equal(1, JobJson.Deserialize((await ReceiveAsync()).Payload).StepsCompleted);
        Assert.False(await _queue.RenewLeaseAsync(delivery, CancellationToken.None));
    }

    [Fact]
    public async Task TryUpdateAndSettleAsync_FinalJob_StoresAndAcknowledgesWithoutPut()
    {
        var delivery = await CreateAndReceiveAsync();

        Assert.True(await _store.TryUpdateAndSettleAsync(_queue, delivery, "k1", NewJob(1, JobStatus.Completed), put: false, CancellationToken.None));

        Assert.Equal(JobStatus.Completed, (await _store.GetAsync("k1", CancellationToken.None))!.Job.Status);
        Assert.Equal(0, await _queue.CountAsync());
    }

    [Fact]
    public async Task TryUpdateAndSettleAsync_StaleWrite_DoesNothing_TheDeliveryStaysLeased()
    {
        var delivery = await CreateAndReceiveAsync();
        await _store.UpdateAsync("k1", NewJob(2, JobStatus.Queued), CancellationToken.None);

        Assert.False(await _store.TryUpdateAndSettleAsync(_queue, delivery, "k1", NewJob(1, JobStatus.Queued), put: true, CancellationToken.None));

        Assert.Equal(2, (await _store.GetAsync("k1", CancellationToken.None))!.Job.StepsCompleted);
        Assert.Equal(1, await _queue.CountAsync());
        Assert.True(await _queue.RenewLeaseAsync(delivery, CancellationToken.None));
    }

    [Fact]
    public async Task TryUpdateAndSettleAsync_RunningOverCancelling_DoesNothing_TheDeliveryStaysLeased()
    {
        var delivery = await CreateAndReceiveAsync();
        await _store.UpdateAsync("k1", NewJob(0, JobStatus.Cancelling), CancellationToken.None);

        Assert.False(await _store.TryUpdateAndSettleAsync(_queue, delivery, "k1", NewJob(1, JobStatus.Running), put: true, CancellationToken.None));

        Assert.Equal(JobStatus.Cancelling, (await _store.GetAsync("k1", CancellationToken.None))!.Job.Status);
        Assert.Equal(1, await _queue.CountAsync());
        Assert.True(await _queue.RenewLeaseAsync(delivery, CancellationToken.None));
    }

    [Fact]
    public async Task TryUpdateAndSettleAsync_LeaseLost_StillStoresAndPuts_TheRedeliveryStays()
    {
        var delivery = await CreateAndReceiveAsync();
        _time.Advance(Lease + TimeSpan.FromSeconds(1));
        var redelivery = await ReceiveAsync();

        Assert.True(await _store.TryUpdateAndSettleAsync(_queue, delivery, "k1", NewJob(1, JobStatus.Queued), put: true, CancellationToken.None));

        Assert.Equal(1, (await _store.GetAsync("k1", CancellationToken.None))!.Job.StepsCompleted);
        Assert.Equal(2, await _queue.CountAsync());
        Assert.True(await _queue.RenewLeaseAsync(redelivery, CancellationToken.None));
    }

    [Fact]
    public async Task TryUpdateAndSettleAsync_DeliveryKnownOnlyByItsId_IsAcknowledged()
    {
        var delivery = await CreateAndReceiveAsync();
        var byId = new JobDelivery(delivery.DeliveryId, ReadOnlyMemory<byte>.Empty);

        Assert.True(await _store.TryUpdateAndSettleAsync(_queue, byId, "k1", NewJob(1, JobStatus.Completed), put: false, CancellationToken.None));

        Assert.Equal(0, await _queue.CountAsync());
    }
}
