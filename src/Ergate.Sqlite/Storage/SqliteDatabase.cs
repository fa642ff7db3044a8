using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Ergate.Sqlite.Storage;

/// <summary>
/// One SQLite file: a group-commit writer (one connection, one task) and a pool of reader connections.
/// </summary>
/// <remarks>
/// Callers hand writes to the writer through a channel. The writer takes everything pending (up to
/// <see cref="MaxBatchSize"/>), runs it in one transaction with prepared commands and completes each write after
/// the commit, so many concurrent callers share one commit. One caller's writes keep their order because the caller
/// awaits each one. Reads run on the caller's thread on a pooled reader connection (WAL lets them run beside the
/// writer). Several processes may open the same file: SQLite's file lock orders their transactions.
/// </remarks>
internal sealed class SqliteDatabase : IAsyncDisposable, IDisposable
{
    /// <summary>The most writes committed in one transaction.</summary>
    public const int MaxBatchSize = 256;

    private const int MaxIdleReaders = 16;

    // A background checkpoint after this many batches (a few hundred WAL pages).
    private const int CheckpointEveryBatches = 50;

    // The WAL the writer's own autocheckpoint lets grow, in bytes (SQLite counts it in pages; see OpenWriter).
    private const long WriterAutocheckpointBytes = 16_384_000;

    private readonly Channel<SqliteWrite> _writes = Channel.CreateUnbounded<SqliteWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentBag<SqliteSession> _readers = [];
    private readonly string _connectionString;
    private readonly int _busyTimeoutMilliseconds;
    private readonly int _commandTimeoutSeconds;
    private readonly ILogger _logger;
    private readonly Lock _schemaLock = new();
    private readonly TaskCompletionSource _writerDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _checkpointLock = new();
    private readonly ConcurrentQueue<SqliteWrite[]> _committed = new();
    private int _completing;
    private SqliteSession? _checkpointer;
    private int _checkpointing;
    private int _batchesSinceCheckpoint;
    private volatile bool _schemaReady;
    private volatile bool _disposed;
    private Exception? _writerFailure;

    public SqliteDatabase(string databasePath, TimeSpan busyTimeout, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        DatabasePath = Path.GetFullPath(databasePath);
        BusyTimeout = busyTimeout;
        _busyTimeoutMilliseconds = (int)Math.Clamp(busyTimeout.TotalMilliseconds, 0, int.MaxValue);

        // Commands through Microsoft.Data.Sqlite also retry busy statements themselves, for the command timeout (whole
        // seconds; 0 would mean forever), so that timeout is the busy timeout rounded up. The writer's BEGIN and COMMIT
        // run as raw statements and wait only for SQLite's busy timeout.
        _commandTimeoutSeconds = (int)Math.Max(1, Math.Ceiling(busyTimeout.TotalSeconds));
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = _commandTimeoutSeconds,
        }.ToString();
        _logger = logger;

        // The writer has a thread of its own rather than a thread-pool continuation per batch: under load the pool's
        // queue is long (a silo runs everything on it), and every write waited in it once more before its batch began.
        new Thread(WriteLoop) { IsBackground = true, Name = "Ergate SQLite writer" }.Start();
    }

    /// <summary>The database file's full path.</summary>
    public string DatabasePath { get; }

    public TimeSpan BusyTimeout { get; }

    /// <summary>Queues a write for the next batch.</summary>
    /// <returns>The write's task: its result after the commit, its failure, or cancelled if skipped.</returns>
    public Task<T> WriteAsync<T>(SqliteWrite<T> write)
    {
        if (write.CancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(write.CancellationToken);
        }

        if (!_writes.Writer.TryWrite(write))
        {
            return Task.FromException<T>(_writerFailure is { } failure
                ? new InvalidOperationException($"SQLite database '{DatabasePath}': the writer has stopped.", failure)
                : new ObjectDisposedException(nameof(SqliteDatabase), $"SQLite database '{DatabasePath}' is closed."));
        }

        return write.Task;
    }

    /// <summary>Runs a read on a pooled reader connection, on the caller's thread.</summary>
    public T Read<TState, T>(TState state, Func<SqliteSession, TState, T> read)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_readers.TryTake(out var session))
        {
            session = Open("reader");
        }

        T result;
        try
        {
            result = read(session, state);
        }
        catch
        {
            // A connection that failed may be broken; open a fresh one next time.
            session.Dispose();
            throw;
        }

        if (_disposed || _readers.Count >= MaxIdleReaders)
        {
            session.Dispose();
        }
        else
        {
            _readers.Add(session);
        }

        return result;
    }

    public async ValueTask DisposeAsync()
    {
        Dispose();
        await _writerDone.Task.ConfigureAwait(false);
    }

    /// <summary>Stops taking writes; the writer finishes what is queued and closes its connection by itself.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        lock (_checkpointLock)
        {
            _checkpointer?.Dispose();
            _checkpointer = null;
        }

        _writes.Writer.TryComplete();
        while (_readers.TryTake(out var session))
        {
            session.Dispose();
        }

        Log.DatabaseClosed(_logger, DatabasePath);
    }

    private void WriteLoop()
    {
        var reader = _writes.Reader;
        var batch = new List<SqliteWrite>(MaxBatchSize);
        SqliteSession? session = null;
        try
        {
            while (reader.TryPeek(out _) || reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (batch.Count < MaxBatchSize && reader.TryRead(out var write))
                {
                    if (write.CancellationToken.IsCancellationRequested)
                    {
                        write.Cancel();
                    }
                    else
                    {
                        batch.Add(write);
                    }
                }

                if (batch.Count == 0)
                {
                    continue;
                }

                try
                {
                    session ??= OpenWriter();
                    CommitBatch(session, batch);
                }
                catch (Exception exception)
                {
                    // The file could not be opened, locked or committed: every write of the batch fails, none applied.
                    Log.WriteBatchFailed(_logger, exception, DatabasePath, batch.Count);
                    if (session is not null && !TryRollBack(session))
                    {
                        session.Dispose();
                        session = null;
                    }

                    foreach (var write in batch)
                    {
                        write.Fail(exception, DatabasePath);
                    }
                }

                batch.Clear();
            }
        }
        catch (Exception exception)
        {
            // Not expected: every failure of a batch is caught above. Fail what is queued so no caller waits forever.
            _writerFailure = exception;
            _writes.Writer.TryComplete(exception);
            Log.WriterCrashed(_logger, exception, DatabasePath);
            foreach (var write in batch)
            {
                write.Fail(exception, DatabasePath);
            }

            while (reader.TryRead(out var write))
            {
                write.Fail(exception, DatabasePath);
            }
        }
        finally
        {
            session?.Dispose();

            // DisposeAsync returns once every committed write has been completed too, not just committed: what no
            // completer has taken is completed here, and one at work is waited for (a completion blocked for longer than
            // the cap is left to finish by itself).
            if (Interlocked.Exchange(ref _completing, 1) == 0)
            {
                CompleteCommitted();
            }

            SpinWait.SpinUntil(() => _committed.IsEmpty && Volatile.Read(ref _completing) == 0, TimeSpan.FromSeconds(10));
            _writerDone.TrySetResult();
        }
    }

    // Runs the batch in one transaction. A write that throws is rolled back with the others, reported to its own
    // caller, and the rest of the batch runs again without it, so one bad write cannot fail its neighbours.
    private void CommitBatch(SqliteSession session, List<SqliteWrite> batch)
    {
        while (batch.Count > 0)
        {
            session.Execute("BEGIN IMMEDIATE");
            var failedAt = -1;
            Exception? failure = null;
            for (var i = 0; i < batch.Count; i++)
            {
                try
                {
                    batch[i].Execute(session);
                }
                catch (Exception exception)
                {
                    failedAt = i;
                    failure = exception;
                    break;
                }
            }

            if (failure is null)
            {
                session.Execute("COMMIT");
                if (++_batchesSinceCheckpoint >= CheckpointEveryBatches)
                {
                    _batchesSinceCheckpoint = 0;
                    StartCheckpoint();
                }
                CompleteLater(batch);
                return;
            }

            if (session.InTransaction)
            {
                session.Execute("ROLLBACK");
            }

            var failed = batch[failedAt];
            batch.RemoveAt(failedAt);
            Log.WriteFailed(_logger, failure, DatabasePath, failed.Operation, batch.Count);
            failed.Fail(failure, DatabasePath);
        }
    }

    // Completes a committed batch's writes on a thread-pool thread rather than the writer's, which goes on to its next
    // batch at once: completing a write queues its caller's continuation on the thread pool (and a lease buffers its
    // prefetched rows), and done here for a batch of a few dozen writes that delayed the next commit. Batches complete
    // one after another, in commit order, never two at once. In the silo benchmark (interleaved A/B, 24 and 18 runs a
    // side) the CPU per step fell 2-5% (least and median), the least 49.9 -> 47.2 µs at 10,000 x 5.
    private void CompleteLater(List<SqliteWrite> batch)
    {
        _committed.Enqueue(batch.ToArray());
        if (Interlocked.Exchange(ref _completing, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static database => database.CompleteCommitted(), this, preferLocal: false);
        }
    }

    private void CompleteCommitted()
    {
        do
        {
            while (_committed.TryDequeue(out var writes))
            {
                foreach (var write in writes)
                {
                    try
                    {
                        write.Complete();
                    }
                    catch (Exception exception)
                    {
                        // Not expected (a completion publishes a result); the caller gets the failure rather than no answer.
                        Log.CompletionFailed(_logger, exception, DatabasePath, write.Operation);
                        write.Fail(exception, DatabasePath);
                    }
                }
            }

            // A full fence, not a volatile write: the emptiness check below must not be done before the flag is cleared,
            // or a batch enqueued in between (whose writer saw the flag still set) would wait for a completer forever.
            Interlocked.Exchange(ref _completing, 0);
        }
        while (!_committed.IsEmpty && Interlocked.Exchange(ref _completing, 1) == 0);
    }

    private static bool TryRollBack(SqliteSession session)
    {
        try
        {
            if (session.InTransaction)
            {
                session.Execute("ROLLBACK");
            }

            return true;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    // A checkpoint syncs the WAL and the database; run by the writer after a commit (SQLite's autocheckpoint, every
    // 1,000 pages) those syncs made about one commit in a hundred take several milliseconds under load while every
    // other write waited (half the writer's time in the benchmark). So checkpoints mostly run beside the writer
    // (StartCheckpoint), and the writer's own autocheckpoint is kept, rarer (about 16 MB of WAL: 2,000 pages of 8 KB), only
    // to finish what those left: a PASSIVE checkpoint beside a busy writer never catches up with it, and the WAL
    // restarts from its beginning only after a checkpoint copied all of it (without this the WAL grew by gigabytes).
    // Other processes on the file keep SQLite's default.
    //
    // The writer's page cache is larger than SQLite's default 2 MB: it is the one cache that commits keep valid, and job
    // rows are updated in random key order, so with the default a backlog of a few
    // thousand jobs made many updates first read their page back from the file. Pages are allocated as used, so a
    // small file costs no more than before.
    private SqliteSession OpenWriter()
    {
        var session = Open("writer");
        var pageSize = Convert.ToInt64(session.ScalarOnce("PRAGMA page_size"), CultureInfo.InvariantCulture);
        session.ExecuteOnce("PRAGMA wal_autocheckpoint = " + (WriterAutocheckpointBytes / pageSize).ToString(CultureInfo.InvariantCulture));
        session.ExecuteOnce("PRAGMA cache_size = -32768");
        return session;
    }

    // Copies the WAL back into the database on a connection of its own, off the writer's thread, at most one at a
    // time. PASSIVE waits for nobody and never blocks the writer; what it cannot copy yet is copied next time. The WAL
    // restarts from its beginning once a checkpoint has copied all of it.
    private void StartCheckpoint()
    {
        if (Interlocked.Exchange(ref _checkpointing, 1) == 1)
        {
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(static database => database.Checkpoint(), this, preferLocal: false);
    }

    private void Checkpoint()
    {
        try
        {
            lock (_checkpointLock)
            {
                if (_disposed)
                {
                    return;
                }

                _checkpointer ??= Open("checkpointer");
                _checkpointer.ExecuteOnce("PRAGMA wal_checkpoint(PASSIVE)");
            }
        }
        catch (Exception exception) when (SqliteErrors.IsDatabaseFailure(exception))
        {
            // Nothing is lost: the WAL keeps the commits, and the next checkpoint (or closing the file) copies them.
            Log.CheckpointFailed(_logger, exception, DatabasePath);
            lock (_checkpointLock)
            {
                _checkpointer?.Dispose();
                _checkpointer = null;
            }
        }
        finally
        {
            Volatile.Write(ref _checkpointing, 0);
        }
    }

    private SqliteSession Open(string role)
    {
        ObjectDisposedException.ThrowIf(_disposed && role == "reader", this);
        if (!_schemaReady && Path.GetDirectoryName(DatabasePath) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }

        var connection = new SqliteConnection(_connectionString);
        SqliteSession? session = null;
        try
        {
            connection.Open();
            session = new SqliteSession(connection, _commandTimeoutSeconds);
            session.ExecuteOnce("PRAGMA busy_timeout = " + _busyTimeoutMilliseconds.ToString(CultureInfo.InvariantCulture));
            session.ExecuteOnce("PRAGMA synchronous = NORMAL");
            EnsureSchema(session);
            Log.ConnectionOpened(_logger, DatabasePath, role);
            return session;
        }
        catch
        {
            if (session is null)
            {
                connection.Dispose();
            }
            else
            {
                session.Dispose();
            }

            throw;
        }
    }

    // Once per instance; idempotent, so several instances and processes may race to it.
    private void EnsureSchema(SqliteSession session)
    {
        if (_schemaReady)
        {
            return;
        }

        lock (_schemaLock)
        {
            if (_schemaReady)
            {
                return;
            }

            // A new file gets 8 KB pages rather than SQLite's 4 KB: a commit writes one WAL frame (two system calls) per
            // page it changed, and the jobs in progress and the queue's newest messages then lie on half as many pages.
            // In A/B runs of the silo benchmark the writer thread spent about a tenth less CPU per step (16 KB a little
            // less again, 1 KB more). Only a file with no tables yet takes it; an existing file keeps its page size.
            session.ExecuteOnce("PRAGMA page_size = 8192");
            var journalMode = session.ScalarOnce("PRAGMA journal_mode = WAL") as string ?? "unknown";
            if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                Log.WalUnavailable(_logger, DatabasePath, journalMode);
            }

            session.ExecuteOnce(SqliteSchema.Create);
            _schemaReady = true;
            Log.SchemaReady(_logger, DatabasePath, journalMode);
        }
    }
}
