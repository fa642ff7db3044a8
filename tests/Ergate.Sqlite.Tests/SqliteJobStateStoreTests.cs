using Ergate.Testing;
using Microsoft.Data.Sqlite;

namespace Ergate.Sqlite.Tests;

// The state-store contract (Ergate.Testing) on a fresh file per test, plus durability and several instances on one file.
public sealed class SqliteJobStateStoreTests : JobStateStoreContractTests<SqliteJobStateStore>
{
    private readonly TempDirectory _directory = new();

    private string DatabasePath => _directory.File();

    protected override Task<SqliteJobStateStore> CreateStoreAsync(TimeProvider time) => Task.FromResult(Open(time));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
    }

    private SqliteJobStateStore Open(TimeProvider time) => new(new SqliteJobStateStoreOptions { DatabasePath = DatabasePath }, time);

    [Fact]
    public async Task UpdateAsync_ThenReopen_JobStillThere()
    {
        Time.Advance(TimeSpan.FromSeconds(7));
        var job = NewJob(2, JobStatus.Running, """{"total": 12.5}""");
        await Store.UpdateAsync("k1", job, CancellationToken.None);
        await Store.DisposeAsync();

        await using var reopened = Open(Time);
        var stored = await reopened.GetAsync("k1", CancellationToken.None);

        Assert.NotNull(stored);
        Assert.Equal(JobJson.SerializeToString(job), JobJson.SerializeToString(stored.Job));
        Assert.Equal(Start + TimeSpan.FromSeconds(7), stored.UpdatedAt);
    }

    [Fact]
    public async Task TryUpdateAsync_TwoInstancesOnOneFile_ShareOneStaleRule()
    {
        await using var other = Open(Time);
        await Store.UpdateAsync("k1", NewJob(3, JobStatus.Completed), CancellationToken.None);

        Assert.False(await other.TryUpdateAsync("k1", NewJob(3, JobStatus.Running), CancellationToken.None));
        Assert.True(await other.TryUpdateAsync("k1", NewJob(4, JobStatus.Running), CancellationToken.None));
        Assert.Equal(4, (await GetStoredAsync("k1")).Job.StepsCompleted);
    }

    [Fact]
    public async Task StoreAndQueue_OneFile_BothWork()
    {
        await using var queue = new SqliteJobQueue(new SqliteJobQueueOptions { DatabasePath = DatabasePath }, Time);
        await queue.PutAsync(NewJob(1, JobStatus.Queued), CancellationToken.None);
        await Store.UpdateAsync("k1", NewJob(1, JobStatus.Queued), CancellationToken.None);

        var delivery = await queue.ReceiveAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, JobJson.Deserialize(delivery.Payload).StepsCompleted);
        Assert.Equal(JobStatus.Queued, (await GetStoredAsync("k1")).Job.Status);
    }

    [Fact]
    public async Task UpdateAsync_FileLockedByAnotherConnection_ThrowsTransientJobStateStoreException()
    {
        await using var store = new SqliteJobStateStore(new SqliteJobStateStoreOptions { DatabasePath = DatabasePath, BusyTimeout = TimeSpan.FromMilliseconds(10) }, Time);
        await store.UpdateAsync("k0", NewJob(0, JobStatus.Queued), CancellationToken.None);
        await using var blocker = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await blocker.OpenAsync();
        using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE";
            await begin.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<JobStateStoreException>(() => store.UpdateAsync("k1", NewJob(1, JobStatus.Running), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.True(error.IsTransient);
        Assert.IsType<SqliteException>(error.InnerException);
    }

    [Fact]
    public async Task UpdateAsync_Cancelled_ThrowsAndWritesNothing()
    {
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.UpdateAsync("k1", NewJob(1, JobStatus.Running), new CancellationToken(canceled: true)));

        Assert.Null(await Store.GetAsync("k1", CancellationToken.None));
    }
}
