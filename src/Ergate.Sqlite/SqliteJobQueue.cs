using System.Diagnostics;
using System.Globalization;
using Ergate.Sqlite.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ergate.Sqlite;

/// <summary>
/// A durable job queue on a SQLite file, with every capability: leases (renewable, expiring), not-before puts and a
/// dead letter. Messages are stored as the job's JSON bytes and delivered oldest first.
/// </summary>
/// <remarks>
/// <para>
/// A received message stays in the file, hidden until its lease runs out; a process that dies holding it therefore
/// loses nothing. Writes from all callers are committed together in batches by one writer (group commit), so many
/// concurrent callers share one transaction. Several processes may use the same file; SQLite's lock keeps any two
/// receivers from taking the same message.
/// </para>
/// <para>Thread-safe. Dispose it to close the file (a queue registered with <c>UseSqliteQueue</c> is disposed by its service provider).</para>
/// </remarks>
public sealed partial class SqliteJobQueue : IDeadLetterJobQueue, IScheduledJobQueue, IRequeueJobQueue, IAsyncDisposable, IDisposable
{
    private readonly SqliteDatabase _database;
    private readonly bool _ownsDatabase;
    private readonly TimeProvider _time;
    private readonly TimeSpan _pollInterval;
    private readonly CancellationTokenSource _disposing = new();
    private readonly SqliteIdSource _ids = new();

    // Receivers that found nothing wait on _wake (or the poll interval); a commit that makes a message visible
    // completes it and installs a fresh one, but only while someone waits, so a busy queue allocates nothing for it.
    private TaskCompletionSource _wake = NewWake();
    private int _waiting;

    // Prefetch: a receive leases up to _batchSize due rows in one write; the rest wait here, each under its own lease,
    // for the next receives. _batchSize adapts between 1 and ReceiveBatchSize (see NextBatchSize).
    private readonly Lock _bufferLock = new();
    private readonly Queue<Prefetched> _buffer = new();
    private readonly int _maxBatchSize;
    private readonly long _minHandOutTicks;
    private int _batchSize = 1;

    // The due-rows query's text by batch size, made on first use. Batch sizes are powers of two up to
    // ReceiveBatchSize (or the fixed size), so a session prepares only a few of them.
    private readonly string?[] _dueStatements;
    private int _fixedBatchSize;
    private long _lastLeaseTimestamp;

    /// <summary>Opens (creating if needed) the queue in <see cref="SqliteJobQueueOptions.DatabasePath"/>.</summary>
    /// <param name="options">The options; validated here.</param>
    /// <param name="time">The clock for leases and not-before times, and for the idle receivers' polling; <see langword="null"/> for the system clock.</param>
    /// <param name="loggerFactory">Creates the logger; <see langword="null"/> for none.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are not valid; the message lists every problem.</exception>
    /// <remarks>The file is opened at the first call, not here; a file that cannot be opened fails that call with a <see cref="JobQueueException"/>.</remarks>
    public SqliteJobQueue(SqliteJobQueueOptions options, TimeProvider? time = null, ILoggerFactory? loggerFactory = null)
        : this(options, null, time, loggerFactory)
    {
    }

    internal SqliteJobQueue(SqliteJobQueueOptions options, SqliteDatabase? sharedDatabase, TimeProvider? time, ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        SqliteOptionsValidation.ThrowIfInvalid(SqliteJobQueueOptionsValidator.Instance, options);
        _time = time ?? TimeProvider.System;
        LeaseDuration = options.LeaseDuration;
        _pollInterval = options.PollInterval;
        _maxBatchSize = options.ReceiveBatchSize;
        _dueStatements = new string?[_maxBatchSize + 1];

        // A buffered delivery is handed out only while five sixths of its lease remain, so the engine's first renewal
        // comes well before expiry: its lease keeper renews on ticks a third of the lease apart, so a delivery's first
        // renewal comes one to two thirds of the lease after it is handed out. Older ones are given back.
        _minHandOutTicks = LeaseDuration.Ticks * 5 / 6;
        _ownsDatabase = sharedDatabase is null;
        _database = sharedDatabase ?? new SqliteDatabase(
            options.DatabasePath,
            options.BusyTimeout,
            (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<SqliteJobQueue>());
    }

    /// <inheritdoc />
    public TimeSpan LeaseDuration { get; }

    /// <summary>The database file's full path.</summary>
    public string DatabasePath => _database.DatabasePath;

    /// <inheritdoc />
    /// <exception cref="JobQueueException">The database could not be written.</exception>
    public Task PutAsync(Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return PutCoreAsync(JobJson.SerializeToUtf8Bytes(job), null, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="JobQueueException">The database could not be written.</exception>
    public Task PutAsync(Job job, DateTimeOffset notBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return PutCoreAsync(JobJson.SerializeToUtf8Bytes(job), notBefore, cancellationToken);
    }

    /// <summary>
    /// Puts raw JSON, as an outside producer (Python Ergate, say) would. It is stored and delivered byte for byte, and
    /// validated only when delivered (data that is not a valid job is then dead-lettered by the engine).
    /// </summary>
    /// <param name="utf8Json">The message.</param>
    /// <param name="cancellationToken">Cancels the put.</param>
    /// <returns>A task that completes when the message is committed.</returns>
    /// <exception cref="JobQueueException">The database could not be written.</exception>
    public Task PutRawAsync(ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken = default) =>
        PutCoreAsync(utf8Json.ToArray(), null, cancellationToken);

    /// <inheritdoc />
    /// <exception cref="JobQueueException">The database could not be read or written.</exception>
    public async Task<Job> GetOneAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var delivery = await ReceiveAsync(cancellationToken).ConfigureAwait(false);
            Job job;
            try
            {
                job = JobJson.Deserialize(delivery.Payload);
            }
            catch (InvalidJobDataException invalid)
            {
                await DeadLetterAsync(delivery, invalid.Message, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            await AcknowledgeAsync(delivery, CancellationToken.None).ConfigureAwait(false);
            return job;
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Takes the oldest visible message at once if there is one; otherwise waits for a put in this process, or polls
    /// every <see cref="SqliteJobQueueOptions.PollInterval"/> (on the injected clock) for puts by other processes,
    /// due messages and expired leases. A message already taken when the token is cancelled is still returned.
    /// </remarks>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    /// <exception cref="ObjectDisposedException">The queue was disposed while waiting.</exception>
    /// <exception cref="JobQueueException">The database could not be read or written.</exception>
    public async Task<JobDelivery> ReceiveAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var delivery = TryTakeBuffered() ?? await TryLeaseAsync(cancellationToken).ConfigureAwait(false);
        if (delivery is not null)
        {
            return delivery;
        }

        Interlocked.Increment(ref _waiting);
        try
        {
            while (true)
            {
                // Taken before the look, so a put committed after the look completes this very task.
                var wake = Volatile.Read(ref _wake).Task;
                delivery = TryTakeBuffered();
                if (delivery is not null)
                {
                    return delivery;
                }

                // An idle receiver first looks on a reader connection, so polling takes no write lock while nothing is due.
                if (HasVisibleMessage())
                {
                    delivery = await TryLeaseAsync(cancellationToken).ConfigureAwait(false);
                    if (delivery is not null)
                    {
                        return delivery;
                    }
                }

                await WaitForWorkAsync(wake, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    /// <inheritdoc />
    /// <remarks>Hands out a prefetched delivery (one a lease took beyond the one it was for), never reading the file.</remarks>
    public bool TryReceive([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out JobDelivery? delivery)
    {
        delivery = TryTakeBuffered();
        return delivery is not null;
    }

    /// <inheritdoc />
    /// <exception cref="JobQueueException">The database could not be written.</exception>
    public Task AcknowledgeAsync(JobDelivery delivery, CancellationToken cancellationToken)
    {
        var (id, leaseId) = ParseDeliveryId(delivery);
        return _database.WriteAsync(new AcknowledgeWrite(id, leaseId, Now, cancellationToken));
    }

    /// <inheritdoc />
    /// <remarks>
    /// One write: the job is inserted as a new message (a fresh message id, at the back of the queue, visible at once)
    /// and the delivered row is deleted if its lease still holds, in the same transaction.
    /// </remarks>
    /// <exception cref="JobQueueException">The database could not be written; neither happened.</exception>
    public Task RequeueAsync(JobDelivery delivery, Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var (id, leaseId) = ParseDeliveryId(delivery);
        var payload = JobJson.SerializeToUtf8Bytes(job);
        return _database.WriteAsync(new RequeueWrite(this, id, leaseId, _ids.Next(), payload, Now, cancellationToken));
    }

    /// <inheritdoc />
    /// <exception cref="JobQueueException">The database could not be written.</exception>
    public Task ReleaseAsync(JobDelivery delivery, TimeSpan delay, CancellationToken cancellationToken)
    {
        var (id, leaseId) = ParseDeliveryId(delivery);
        var now = _time.GetUtcNow();
        var visibleAt = delay > TimeSpan.Zero ? now + delay : now;
        return _database.WriteAsync(new ReleaseWrite(this, id, leaseId, now.UtcTicks, visibleAt.UtcTicks, delay <= TimeSpan.Zero, cancellationToken));
    }

    /// <inheritdoc />
    /// <exception cref="JobQueueException">The database could not be written.</exception>
    public Task<bool> RenewLeaseAsync(JobDelivery delivery, CancellationToken cancellationToken)
    {
        var (id, leaseId) = ParseDeliveryId(delivery);
        var now = _time.GetUtcNow();
        return _database.WriteAsync(new RenewWrite(id, leaseId, now.UtcTicks, (now + LeaseDuration).UtcTicks, cancellationToken));
    }

    /// <inheritdoc />
    /// <remarks>The message moves to the file's dead letters (see <see cref="GetDeadLettersAsync"/>). A stale lease moves nothing.</remarks>
    /// <exception cref="JobQueueException">The database could not be written.</exception>
    public Task DeadLetterAsync(JobDelivery delivery, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reason);
        var (id, leaseId) = ParseDeliveryId(delivery);
        return _database.WriteAsync(new DeadLetterWrite(id, leaseId, reason, Now, cancellationToken));
    }

    /// <summary>Reads the dead letters in the order they were moved aside.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The dead letters.</returns>
    /// <exception cref="JobQueueException">The database could not be read.</exception>
    public Task<IReadOnlyList<SqliteDeadLetter>> GetDeadLettersAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return Task.FromResult(_database.Read(0, static (session, _) =>
            {
                var command = session.Command("SELECT message_id, payload, reason, delivery_count, dead_lettered_at FROM ergate_dead_letters ORDER BY id");
                using var reader = command.ExecuteReader();
                var letters = new List<SqliteDeadLetter>();
                while (reader.Read())
                {
                    letters.Add(new SqliteDeadLetter(
                        reader.GetString(0),
                        reader.GetFieldValue<byte[]>(1),
                        reader.GetString(2),
                        reader.GetInt32(3),
                        new DateTimeOffset(reader.GetInt64(4), TimeSpan.Zero)));
                }

                return (IReadOnlyList<SqliteDeadLetter>)letters;
            }));
        }
        catch (Exception exception) when (SqliteErrors.IsDatabaseFailure(exception))
        {
            throw SqliteErrors.Queue(DatabasePath, "dead-letter read", exception);
        }
    }

    /// <summary>Counts the messages in the queue: visible, leased and not yet due (not dead letters).</summary>
    internal Task<int> CountAsync() =>
        Task.FromResult(_database.Read(0, static (session, _) => Convert.ToInt32(session.Command(CountSql).ExecuteScalar(), CultureInfo.InvariantCulture)));

    /// <summary>The prefetched deliveries waiting in this instance.</summary>
    internal int BufferedCount
    {
        get
        {
            lock (_bufferLock)
            {
                return _buffer.Count;
            }
        }
    }

    /// <summary>Fixes the prefetch batch (tests only; real time makes the adaptive one unpredictable).</summary>
    internal void FixBatchSize(int batchSize) => _fixedBatchSize = Math.Min(batchSize, _maxBatchSize);

    /// <summary>Closes the file, after committing the writes already queued. Receivers still waiting fail with <see cref="ObjectDisposedException"/>.</summary>
    /// <returns>A task that completes when the file is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (StartDispose() && _ownsDatabase)
        {
            await _database.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stops the queue; queued writes are still committed, then the file is closed in the background.</summary>
    public void Dispose()
    {
        if (StartDispose() && _ownsDatabase)
        {
            _database.Dispose();
        }
    }

    /// <summary>Now on this queue's clock, in UTC ticks, as its leases are timed (a state store settling in its transaction uses it too).</summary>
    internal long Now => _time.GetUtcNow().UtcTicks;

    /// <summary>The database this queue writes through; a state store on the same instance shares its transactions.</summary>
    internal SqliteDatabase Database => _database;

    /// <summary>A message for a put inside another write's transaction, made on the caller's thread (see <see cref="InsertMessage"/>).</summary>
    /// <param name="payload">The job's JSON (a state store passes the bytes it stores, serialized once for both).</param>
    /// <param name="notBefore">The earliest delivery time, or <see langword="null"/>.</param>
    internal QueuedMessage NewMessage(byte[] payload, DateTimeOffset? notBefore)
    {
        var now = _time.GetUtcNow();
        var visibleAt = notBefore is { } due && due > now ? due : now;
        return new QueuedMessage(_ids.Next(), payload, visibleAt.UtcTicks, now.UtcTicks);
    }

    /// <summary>Puts a message in the writer's open transaction; call <see cref="Wake"/> after the commit.</summary>
    internal static void InsertMessage(SqliteSession session, QueuedMessage message) =>
        Insert(session, message.MessageId, message.Payload, message.VisibleAt, message.EnqueuedAt);

    /// <summary>Acknowledges a delivery in the writer's open transaction; false when its lease no longer holds.</summary>
    internal static bool AcknowledgeInTransaction(SqliteSession session, long id, string leaseId, long now) =>
        ExecuteLeased(session, AcknowledgeSql, id, leaseId, now);

    private static readonly TimeSpan FastRefill = TimeSpan.FromMilliseconds(10);

    private static readonly TimeSpan SlowRefill = TimeSpan.FromMilliseconds(100);

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static string FormatDeliveryId(long id, string leaseId) =>
        string.Create(CultureInfo.InvariantCulture, $"{id}:{leaseId}");

    // A delivery id is "<row id>:<lease id>": everything the queue needs to settle it, so a delivery that crossed a
    // process boundary without its backend state still works.
    internal static (long Id, string LeaseId) ParseDeliveryId(JobDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var text = delivery.DeliveryId;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1
            || !long.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            throw new ArgumentException($"Delivery '{text}' was not received from a SQLite queue; settle a delivery with the queue that delivered it.", nameof(delivery));
        }

        return (id, text[(colon + 1)..]);
    }

    private bool StartDispose()
    {
        if (_disposing.IsCancellationRequested)
        {
            return false;
        }

        _disposing.Cancel();

        // Prefetched rows nobody will take: visible again at once (the writer commits queued writes before closing).
        ReturnBuffered();
        return true;
    }

    /// <summary>Wakes receivers waiting for a message, after a commit that made one visible.</summary>
    internal void Wake()
    {
        if (Volatile.Read(ref _waiting) == 0)
        {
            return;
        }

        Interlocked.Exchange(ref _wake, NewWake()).TrySetResult();
    }

    private Task PutCoreAsync(byte[] payload, DateTimeOffset? notBefore, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var visibleAt = notBefore is { } due && due > now ? due : now;
        return _database.WriteAsync(new PutWrite(this, _ids.Next(), payload, visibleAt.UtcTicks, now.UtcTicks, cancellationToken));
    }

    private async Task<JobDelivery?> TryLeaseAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();

        // One lease id for the whole batch: a delivery id is the row id and the lease id, still unique per delivery.
        var leaseId = _ids.Next();

        // Once taken by the writer the lease is applied, so its result is awaited whatever the token says: dropping it
        // would hide the message until the lease runs out.
        var write = new LeaseWrite(this, leaseId, now.UtcTicks, (now + LeaseDuration).UtcTicks, NextBatchSize(), cancellationToken);
        var leased = await _database.WriteAsync(write).ConfigureAwait(false);
        return leased is null ? null : leased.First.ToDelivery();
    }

    // Made by the writer, once per size: a race only makes the same text twice.
    private string DueStatement(int count) =>
        _dueStatements[count] ??= DueSql + count.ToString(CultureInfo.InvariantCulture);

    // Adapts the prefetch to demand, measured in real time (not the injected clock: this is only about speed): a
    // buffer used up within FastRefill of the last lease doubles the next batch, one that lasted longer than
    // SlowRefill halves it. A busy consumer thus gets up to ReceiveBatchSize rows per write, while a slow one, which
    // would leave prefetched rows waiting (hidden from other consumers), goes back to one at a time.
    private int NextBatchSize()
    {
        if (_maxBatchSize == 1 || _fixedBatchSize > 0)
        {
            return Math.Max(_fixedBatchSize, 1);
        }

        var now = Stopwatch.GetTimestamp();
        lock (_bufferLock)
        {
            var since = Stopwatch.GetElapsedTime(_lastLeaseTimestamp, now);
            _lastLeaseTimestamp = now;
            if (since < FastRefill)
            {
                _batchSize = Math.Min(_batchSize * 2, _maxBatchSize);
            }
            else if (since > SlowRefill)
            {
                _batchSize = Math.Max(_batchSize / 2, 1);
            }

            return _batchSize;
        }
    }

    private void Buffer(List<Prefetched> rows)
    {
        lock (_bufferLock)
        {
            foreach (var row in rows)
            {
                _buffer.Enqueue(row);
            }
        }

        // A receiver waiting for work (it looked before these were buffered) can take one now.
        Wake();
        if (_disposing.IsCancellationRequested)
        {
            ReturnBuffered();
        }
    }

    // The oldest buffered delivery with enough lease left; expiring ones are given back to the queue on the way.
    private JobDelivery? TryTakeBuffered()
    {
        List<Prefetched>? stale = null;
        Prefetched? found = null;
        lock (_bufferLock)
        {
            if (_buffer.Count == 0)
            {
                return null;
            }

            var now = Now;
            while (_buffer.TryDequeue(out var row))
            {
                if (row.LeaseUntil - now >= _minHandOutTicks)
                {
                    found = row;
                    break;
                }

                (stale ??= []).Add(row);
            }
        }

        if (stale is not null)
        {
            GiveBack(stale);
        }

        return found?.ToDelivery();
    }

    private void ReturnBuffered()
    {
        List<Prefetched> rows;
        lock (_bufferLock)
        {
            if (_buffer.Count == 0)
            {
                return;
            }

            rows = [.. _buffer];
            _buffer.Clear();
        }

        GiveBack(rows);
    }

    // Queued before any later lease of this instance, so a receive that follows can take them again at once. A failure
    // only delays them: their leases run out.
    private void GiveBack(List<Prefetched> rows) =>
        _ = _database.WriteAsync(new ReturnWrite(this, rows, Now, CancellationToken.None)).ContinueWith(
            static task => _ = task.Exception,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    private bool HasVisibleMessage()
    {
        try
        {
            return _database.Read(Now, static (session, now) =>
            {
                var statement = session.Statement(HasVisibleSql);
                statement.Bind(1, now);
                try
                {
                    return statement.Step();
                }
                finally
                {
                    statement.Reset();
                }
            });
        }
        catch (Exception exception) when (SqliteErrors.IsDatabaseFailure(exception))
        {
            throw SqliteErrors.Queue(DatabasePath, "receive", exception);
        }
    }

    private async Task WaitForWorkAsync(Task wake, CancellationToken cancellationToken)
    {
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token))
        {
            var poll = Task.Delay(_pollInterval, _time, stop.Token);
            await Task.WhenAny(wake, poll).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposing.IsCancellationRequested, this);
    }

    // A leased row: handed out at once, or buffered until a later receive.
    private sealed record Prefetched(long Id, string LeaseId, string MessageId, byte[] Payload, int DeliveryCount, long LeaseUntil)
    {
        public JobDelivery ToDelivery() => new(FormatDeliveryId(Id, LeaseId), Payload, MessageId, DeliveryCount);
    }
}
