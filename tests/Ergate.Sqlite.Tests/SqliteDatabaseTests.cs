using Ergate.Sqlite.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ergate.Sqlite.Tests;

// The group-commit writer: a failing write fails alone, a cancelled one is skipped, the rest commit.
public sealed class SqliteDatabaseTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private SqliteDatabase? _database;

    private SqliteDatabase Database => _database!;

    public Task InitializeAsync()
    {
        _database = new SqliteDatabase(_directory.File(), TimeSpan.FromSeconds(5), NullLogger.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Database.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task WriteAsync_OneWriteOfABatchThrows_OnlyThatWriteFails()
    {
        var writes = new List<Task<bool>>();
        for (var i = 0; i < 50; i++)
        {
            writes.Add(Database.WriteAsync(i == 25 ? new InsertWrite("bad", fail: true) : new InsertWrite($"k{i}")));
        }

        var outcome = await Task.WhenAll(writes.Select(async w =>
        {
            try
            {
                return await w;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        })).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(49, outcome.Count(written => written));
        Assert.False(outcome[25]);
        await Assert.ThrowsAsync<InvalidOperationException>(() => writes[25]);
        Assert.Equal(49, CountJobs());
    }

    [Fact]
    public async Task WriteAsync_CancelledBeforeTaken_IsSkipped()
    {
        var write = new InsertWrite("k1", cancellationToken: new CancellationToken(canceled: true));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Database.WriteAsync(write));

        Assert.Equal(0, CountJobs());
    }

    [Fact]
    public async Task WriteAsync_AfterDispose_ThrowsObjectDisposed()
    {
        await Database.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => Database.WriteAsync(new InsertWrite("k1")));
    }

    [Fact]
    public async Task WriteAsync_EarlierBatchSlowToComplete_LaterBatchesWaitForIt()
    {
        // Completions run off the writer's thread, a batch at a time, in commit order: a later batch's writes never
        // complete before an earlier one's (a lease's prefetched rows, say, are buffered in the order they were leased).
        var completed = new System.Collections.Concurrent.ConcurrentQueue<int>();
        var first = Database.WriteAsync(new InsertWrite("k0", completed: completed, number: 0, slowComplete: true));
        await Task.Delay(50); // committed alone; its completion now takes a while
        var later = new List<Task<bool>>();
        for (var i = 1; i <= 300; i++)
        {
            later.Add(Database.WriteAsync(new InsertWrite($"k{i}", completed: completed, number: i)));
            if (i % 50 == 0)
            {
                await Task.Delay(5); // several batches
            }
        }

        await Task.WhenAll(later.Append(first)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Enumerable.Range(0, 301), completed);
    }

    [Fact]
    public async Task WriteAsync_OneWriteAtATime_EveryWriteIsCompleted()
    {
        // Each write is a batch of its own, committed while the completer of the one before may be finishing: the
        // hand-over between the writer and the completer must never leave a committed write waiting for nobody.
        for (var i = 0; i < 2_000; i++)
        {
            Assert.True(await Database.WriteAsync(new InsertWrite($"k{i}")).WaitAsync(TimeSpan.FromSeconds(10)));
        }

        Assert.Equal(2_000, CountJobs());
    }

    [Fact]
    public async Task WriteAsync_PublishingTheResultThrows_ThatCallerGetsTheFailureAndTheOthersTheirResults()
    {
        var writes = new List<Task<bool>>();
        for (var i = 0; i < 20; i++)
        {
            writes.Add(Database.WriteAsync(new InsertWrite($"k{i}", failToComplete: i == 7)));
        }

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => writes[7]).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("Publishing this write's result fails.", failure.Message);
        Assert.All(await Task.WhenAll(writes.Where((_, i) => i != 7)), Assert.True);
        Assert.Equal(20, CountJobs());
    }

    [Fact]
    public async Task DisposeAsync_AWriteStillBeingCompleted_WaitsForIt()
    {
        // The writer hands committed writes to the thread pool to complete; closing waits until they all have been.
        using var release = new ManualResetEventSlim();
        var writes = new List<Task<bool>>();
        for (var i = 0; i < 500; i++)
        {
            writes.Add(Database.WriteAsync(new InsertWrite($"k{i}", heldUntil: i == 499 ? release : null)));
        }

        var disposing = Database.DisposeAsync().AsTask();
        var returnedEarly = await Task.WhenAny(disposing, Task.Delay(1_000)) == disposing;
        release.Set();
        await disposing.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(returnedEarly);
        Assert.All(writes, w => Assert.Equal(TaskStatus.RanToCompletion, w.Status));
    }

    [Fact]
    public async Task Open_NewFile_Uses8KPages()
    {
        await Database.WriteAsync(new InsertWrite("k1"));

        Assert.Equal(8192L, PageSize(Database));
    }

    [Fact]
    public async Task Open_ExistingFileWith4KPages_KeepsThem()
    {
        var path = _directory.File("old.db");
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA page_size = 4096; CREATE TABLE other (x)";
            await command.ExecuteNonQueryAsync();
        }

        await using var database = new SqliteDatabase(path, TimeSpan.FromSeconds(5), NullLogger.Instance);
        await database.WriteAsync(new InsertWrite("k1"));

        Assert.Equal(4096L, PageSize(database));
    }

    private static long PageSize(SqliteDatabase database) =>
        database.Read(0, static (session, _) => (long)session.Command("PRAGMA page_size").ExecuteScalar()!);

    private long CountJobs() => Database.Read(0, static (session, _) => (long)session.Command("SELECT count(*) FROM ergate_jobs").ExecuteScalar()!);

    private sealed class InsertWrite(
        string key,
        bool fail = false,
        CancellationToken cancellationToken = default,
        System.Collections.Concurrent.ConcurrentQueue<int>? completed = null,
        int number = 0,
        bool failToComplete = false,
        bool slowComplete = false,
        ManualResetEventSlim? heldUntil = null)
        : SqliteWrite<bool>(cancellationToken)
    {
        public override string Operation => "test insert";

        public override void Execute(SqliteSession session)
        {
            var command = session.Command("INSERT INTO ergate_jobs (job_key, steps_completed, status, json, created_at, updated_at) VALUES ($1, 0, 2, x'7b7d', 0, 0)", 1);
            command.Parameters[0].Value = key;
            command.ExecuteNonQuery();
            if (fail)
            {
                throw new InvalidOperationException("This write fails after its statement ran.");
            }

            Result = true;
        }

        public override void Complete()
        {
            if (failToComplete)
            {
                throw new InvalidOperationException("Publishing this write's result fails.");
            }

            if (heldUntil is not null && !heldUntil.Wait(TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException("The test never released this write's completion.");
            }

            if (slowComplete)
            {
                SpinWait.SpinUntil(() => false, TimeSpan.FromMilliseconds(200));
            }

            completed?.Enqueue(number);
            base.Complete();
        }
    }
}
