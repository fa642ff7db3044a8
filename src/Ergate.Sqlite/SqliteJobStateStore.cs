using System.Globalization;
using Ergate.Sqlite.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ergate.Sqlite;

/// <summary>
/// A durable job state store on a SQLite file, with every capability: reading a job back, refusing a stale write or a
/// state that carries a job on over a cancellation request (<see cref="JobStaleness.IsRefused"/>) in one atomic upsert, and, with a
/// <see cref="SqliteJobQueue"/> on the same database, writing a job, putting it and acknowledging its delivery in one
/// transaction. Jobs are stored as their JSON bytes, one row per job key.
/// </summary>
/// <remarks>
/// <para>
/// The queue and the store registered with <c>UseSqliteQueue</c> and <c>UseSqliteStateStore</c> on one file (and with
/// the same <c>BusyTimeout</c>, the default) share one database, and so their transactions
/// (<see cref="SharesTransactionsWith"/>); instances created apart do not, and a step then makes two writes more.
/// </para>
/// <para>
/// Writes from all callers are committed together in batches by one writer (group commit); reads run beside it on
/// pooled connections. Several processes may use the same file. Thread-safe. Dispose it to close the file (a store
/// registered with <c>UseSqliteStateStore</c> is disposed by its service provider).
/// </para>
/// </remarks>
public sealed class SqliteJobStateStore : ITransactionalJobStateStore, IAsyncDisposable, IDisposable
{
    // One insert serves every write; what happens when the key is taken is the statement's own clause.
    private const string InsertSql = """
        INSERT INTO ergate_jobs (job_key, steps_completed, status, json, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)

        """;

    private const string UpsertSql = InsertSql + """
        ON CONFLICT (job_key) DO UPDATE SET
            steps_completed = excluded.steps_completed, status = excluded.status, json = excluded.json, updated_at = excluded.updated_at
        """;

    private const string CreateSql = InsertSql + "ON CONFLICT (job_key) DO NOTHING";

    private const string GetSql = "SELECT json, updated_at FROM ergate_jobs WHERE job_key = $1";

    // The same upsert, applied only when JobStaleness does not refuse the write: it is not stale (more steps
    // completed, or as many while the stored status is not final) and does not carry a job on over a stored cancellation
    // request. The statuses come from JobStatusExtensions.IsFinal and JobStaleness.IgnoresCancel, the one rule; one
    // statement, so the check and the write see the same row.
    private static readonly string ConditionalUpsertSql = UpsertSql + $"""

        WHERE (excluded.steps_completed > ergate_jobs.steps_completed
                OR (excluded.steps_completed = ergate_jobs.steps_completed AND ergate_jobs.status NOT IN ({FinalStatuses()})))
            AND NOT ({CancelIgnoringPairs()})
        """;

    private readonly SqliteDatabase _database;
    private readonly bool _ownsDatabase;
    private readonly TimeProvider _time;

    /// <summary>Opens (creating if needed) the store in <see cref="SqliteJobStateStoreOptions.DatabasePath"/>.</summary>
    /// <param name="options">The options; validated here.</param>
    /// <param name="time">The clock for update times; <see langword="null"/> for the system clock.</param>
    /// <param name="loggerFactory">Creates the logger; <see langword="null"/> for none.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are not valid; the message lists every problem.</exception>
    /// <remarks>The file is opened at the first call, not here; a file that cannot be opened fails that call with a <see cref="JobStateStoreException"/>.</remarks>
    public SqliteJobStateStore(SqliteJobStateStoreOptions options, TimeProvider? time = null, ILoggerFactory? loggerFactory = null)
        : this(options, null, time, loggerFactory)
    {
    }

    internal SqliteJobStateStore(SqliteJobStateStoreOptions options, SqliteDatabase? sharedDatabase, TimeProvider? time, ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        SqliteOptionsValidation.ThrowIfInvalid(SqliteJobStateStoreOptionsValidator.Instance, options);
        _time = time ?? TimeProvider.System;
        _ownsDatabase = sharedDatabase is null;
        _database = sharedDatabase ?? new SqliteDatabase(
            options.DatabasePath,
            options.BusyTimeout,
            (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<SqliteJobStateStore>());
    }

    /// <summary>The database file's full path.</summary>
    public string DatabasePath => _database.DatabasePath;

    /// <inheritdoc />
    /// <exception cref="JobStateStoreException">The database could not be written.</exception>
    public Task UpdateAsync(string jobKey, Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobKey);
        ArgumentNullException.ThrowIfNull(job);
        return _database.WriteAsync(new UpsertWrite(UpsertSql, "state update", new JobRow(jobKey, job, Now), cancellationToken));
    }

    /// <inheritdoc />
    public bool RefusesRunningOverCancelling => true;

    /// <inheritdoc />
    /// <exception cref="JobStateStoreException">The database could not be written.</exception>
    public Task<bool> TryUpdateAsync(string jobKey, Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobKey);
        ArgumentNullException.ThrowIfNull(job);
        return _database.WriteAsync(new UpsertWrite(ConditionalUpsertSql, "conditional state update", new JobRow(jobKey, job, Now), cancellationToken));
    }

    /// <inheritdoc />
    public bool SharesTransactionsWith(IJobQueue queue) => queue is SqliteJobQueue sqlite && ReferenceEquals(sqlite.Database, _database);

    /// <inheritdoc />
    /// <remarks>The delivery is acknowledged from its id alone (a SQLite delivery id is its row id and lease id).</remarks>
    /// <exception cref="ArgumentException"><paramref name="queue"/> does not share this store's transactions, or the delivery is not one of its.</exception>
    /// <exception cref="JobStateStoreException">The database could not be written; nothing was done.</exception>
    public Task<bool> TryUpdateAndSettleAsync(IJobQueue queue, JobDelivery delivery, string jobKey, Job job, bool put, CancellationToken cancellationToken)
    {
        var sqlite = SharedQueue(queue);
        ArgumentNullException.ThrowIfNull(jobKey);
        ArgumentNullException.ThrowIfNull(job);
        var (id, leaseId) = SqliteJobQueue.ParseDeliveryId(delivery);
        var row = new JobRow(jobKey, job, Now);
        var message = put ? sqlite.NewMessage(row.Json, null) : null;
        return _database.WriteAsync(new SettleWrite(sqlite, row, message, id, leaseId, cancellationToken));
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="queue"/> does not share this store's transactions.</exception>
    /// <exception cref="JobStateStoreException">The database could not be written; nothing was done.</exception>
    public Task<bool> TryCreateAndPutAsync(IJobQueue queue, string jobKey, Job job, DateTimeOffset? notBefore, CancellationToken cancellationToken)
    {
        var sqlite = SharedQueue(queue);
        ArgumentNullException.ThrowIfNull(jobKey);
        ArgumentNullException.ThrowIfNull(job);
        var row = new JobRow(jobKey, job, Now);
        return _database.WriteAsync(new CreateAndPutWrite(sqlite, row, sqlite.NewMessage(row.Json, notBefore), cancellationToken));
    }

    /// <inheritdoc />
    /// <exception cref="JobStateStoreException">The database could not be written.</exception>
    public Task<bool> TryCreateAsync(string jobKey, Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobKey);
        ArgumentNullException.ThrowIfNull(job);
        return _database.WriteAsync(new UpsertWrite(CreateSql, "state create", new JobRow(jobKey, job, Now), cancellationToken));
    }

    /// <inheritdoc />
    /// <exception cref="JobStateStoreException">The database could not be read.</exception>
    /// <exception cref="InvalidJobDataException">The stored JSON is not a valid job (the file was changed by something else).</exception>
    public Task<StoredJob?> GetAsync(string jobKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobKey);
        cancellationToken.ThrowIfCancellationRequested();

        // On a reader connection, at once: through the writer (whose cache is warm) it cost less CPU but waited for a
        // batch, and a step that reads the store was slower by that wait.
        (byte[] Json, long UpdatedAt)? row;
        try
        {
            row = _database.Read(jobKey, static (session, key) =>
            {
                var statement = session.Statement(GetSql);
                statement.Bind(1, key);
                try
                {
                    return statement.Step() ? (statement.GetBlob(0), statement.GetInt64(1)) : ((byte[], long)?)null;
                }
                finally
                {
                    statement.Reset();
                }
            });
        }
        catch (Exception exception) when (SqliteErrors.IsDatabaseFailure(exception))
        {
            throw SqliteErrors.StateStore(DatabasePath, "state read", exception);
        }

        return Task.FromResult(row is { } found
            ? new StoredJob(JobJson.Deserialize(found.Json), new DateTimeOffset(found.UpdatedAt, TimeSpan.Zero))
            : null);
    }

    /// <summary>Closes the file, after committing the writes already queued.</summary>
    /// <returns>A task that completes when the file is closed.</returns>
    public ValueTask DisposeAsync() => _ownsDatabase ? _database.DisposeAsync() : ValueTask.CompletedTask;

    /// <summary>Stops the store; queued writes are still committed, then the file is closed in the background.</summary>
    public void Dispose()
    {
        if (_ownsDatabase)
        {
            _database.Dispose();
        }
    }

    private long Now => _time.GetUtcNow().UtcTicks;

    private SqliteJobQueue SharedQueue(IJobQueue queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return SharesTransactionsWith(queue) && queue is SqliteJobQueue sqlite
            ? sqlite
            : throw new ArgumentException("The queue does not share this store's database; only a SqliteJobQueue registered on the same file in the same service provider does.", nameof(queue));
    }

    private static string FinalStatuses()
    {
        var final = new List<string>();
        foreach (var status in Enum.GetValues<JobStatus>())
        {
            if (status.IsFinal())
            {
                final.Add(((int)status).ToString(CultureInfo.InvariantCulture));
            }
        }

        return string.Join(", ", final);
    }

    // The (written, stored) status pairs JobStaleness.IgnoresCancel refuses, as a condition on the conflicting row.
    private static string CancelIgnoringPairs()
    {
        var pairs = new List<string>();
        foreach (var status in Enum.GetValues<JobStatus>())
        {
            foreach (var stored in Enum.GetValues<JobStatus>())
            {
                if (JobStaleness.IgnoresCancel(status, stored))
                {
                    pairs.Add(string.Create(CultureInfo.InvariantCulture, $"(excluded.status = {(int)status} AND ergate_jobs.status = {(int)stored})"));
                }
            }
        }

        return pairs.Count == 0 ? "0" : string.Join(" OR ", pairs);
    }

    // A job's row, serialized on the caller's thread, not the writer's, and before the call returns, so the caller may
    // change the job afterwards. A struct, kept inside the write that carries it: one allocation fewer per write.
    private readonly struct JobRow(string jobKey, Job job, long now)
    {
        private readonly int _stepsCompleted = job.StepsCompleted;
        private readonly int _status = (int)job.Status;

        // The stored bytes, which are also the message a put in the same transaction queues: the same job, serialized once.
        public byte[] Json { get; } = JobJson.SerializeToUtf8Bytes(job);

        // Runs one of the insert statements; true when it wrote the row.
        public bool Write(SqliteSession session, string sql)
        {
            var statement = session.Statement(sql);
            statement.Bind(1, jobKey);
            statement.Bind(2, _stepsCompleted);
            statement.Bind(3, _status);
            statement.Bind(4, Json);
            statement.Bind(5, now);
            return statement.Execute() == 1;
        }
    }

    private sealed class UpsertWrite(string sql, string operation, JobRow row, CancellationToken cancellationToken)
        : SqliteWrite<bool>(cancellationToken)
    {
        public override string Operation => operation;

        public override bool IsStateStoreWrite => true;

        public override void Execute(SqliteSession session) => Result = row.Write(session, sql);
    }

    // The conditional update; only if it wrote, the put (before the acknowledgement, as the queue's requeue does, so the
    // new row's id is past the delivered one's) and the acknowledgement, which finds nothing when the lease was lost.
    private sealed class SettleWrite(SqliteJobQueue queue, JobRow row, QueuedMessage? message, long id, string leaseId, CancellationToken cancellationToken)
        : SqliteWrite<bool>(cancellationToken)
    {
        public override string Operation => "state update with put and acknowledgement";

        public override bool IsStateStoreWrite => true;

        public override void Execute(SqliteSession session)
        {
            Result = row.Write(session, ConditionalUpsertSql);
            if (!Result)
            {
                return;
            }

            if (message is not null)
            {
                SqliteJobQueue.InsertMessage(session, message);
            }

            SqliteJobQueue.AcknowledgeInTransaction(session, id, leaseId, queue.Now);
        }

        public override void Complete()
        {
            base.Complete();
            if (Result && message is not null)
            {
                queue.Wake();
            }
        }
    }

    private sealed class CreateAndPutWrite(SqliteJobQueue queue, JobRow row, QueuedMessage message, CancellationToken cancellationToken)
        : SqliteWrite<bool>(cancellationToken)
    {
        public override string Operation => "state create with put";

        public override bool IsStateStoreWrite => true;

        public override void Execute(SqliteSession session)
        {
            Result = row.Write(session, CreateSql);
            if (Result)
            {
                SqliteJobQueue.InsertMessage(session, message);
            }
        }

        public override void Complete()
        {
            base.Complete();
            if (Result)
            {
                queue.Wake();
            }
        }
    }
}
