using System.Globalization;
using Ergate.Sqlite.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ergate.Sqlite;

/// <summary>
/// A durable job state store on a SQLite file, with every capability: reading a job back, and refusing a stale write
/// (<see cref="JobStaleness"/>) in one atomic upsert. Jobs are stored as their JSON bytes, one row per job key.
/// </summary>
/// <remarks>
/// Writes from all callers are committed together in batches by one writer (group commit); reads run beside it on
/// pooled connections. Several processes may use the same file. Thread-safe. Dispose it to close the file (a store
/// registered with <c>UseSqliteStateStore</c> is disposed by its service provider).
/// </remarks>
public sealed class SqliteJobStateStore : IConditionalJobStateStore, IAsyncDisposable, IDisposable
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

    // The same upsert, applied only when the write is not stale: more steps completed, or as many while the stored
    // status is not final. The final statuses come from JobStatusExtensions.IsFinal, the one rule.
    private static readonly string ConditionalUpsertSql = UpsertSql + $"""

        WHERE excluded.steps_completed > ergate_jobs.steps_completed
            OR (excluded.steps_completed = ergate_jobs.steps_completed AND ergate_jobs.status NOT IN ({FinalStatuses()}))
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
        return _database.WriteAsync(new UpsertWrite(UpsertSql, "state update", jobKey, job, _time.GetUtcNow().UtcTicks, cancellationToken));
    }

    /// <inheritdoc />
    /// <exception cref="JobStateStoreException">The database could not be written.</exception>
    public Task<bool> TryUpdateAsync(string jobKey, Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobKey);
        ArgumentNullException.ThrowIfNull(job);
        return _database.WriteAsync(new UpsertWrite(ConditionalUpsertSql, "conditional state update", jobKey, job, _time.GetUtcNow().UtcTicks, cancellationToken));
    }

    /// <inheritdoc />
    /// <exception cref="JobStateStoreException">The database could not be written.</exception>
    public Task<bool> TryCreateAsync(string jobKey, Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobKey);
        ArgumentNullException.ThrowIfNull(job);
        return _database.WriteAsync(new UpsertWrite(CreateSql, "state create", jobKey, job, _time.GetUtcNow().UtcTicks, cancellationToken));
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

    private sealed class UpsertWrite : SqliteWrite<bool>
    {
        private readonly string _sql;
        private readonly string _operation;
        private readonly string _jobKey;
        private readonly byte[] _json;
        private readonly int _stepsCompleted;
        private readonly int _status;
        private readonly long _now;

        public UpsertWrite(string sql, string operation, string jobKey, Job job, long now, CancellationToken cancellationToken)
            : base(cancellationToken)
        {
            _sql = sql;
            _operation = operation;
            _jobKey = jobKey;

            // Serialized on the caller's thread, not the writer's, and before the call returns, so the caller may
            // change the job afterwards.
            _json = JobJson.SerializeToUtf8Bytes(job);
            _stepsCompleted = job.StepsCompleted;
            _status = (int)job.Status;
            _now = now;
        }

        public override string Operation => _operation;

        public override bool IsStateStoreWrite => true;

        public override void Execute(SqliteSession session)
        {
            var statement = session.Statement(_sql);
            statement.Bind(1, _jobKey);
            statement.Bind(2, _stepsCompleted);
            statement.Bind(3, _status);
            statement.Bind(4, _json);
            statement.Bind(5, _now);
            Result = statement.Execute() == 1;
        }
    }
}
