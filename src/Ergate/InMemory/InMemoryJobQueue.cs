using System.Threading.Channels;

namespace Ergate;

/// <summary>
/// An in-process queue with every capability: leases (renewable, expiring), not-before puts, a dead letter, and
/// requeue (settling a delivery by putting the job's next state in its place).
/// Jobs are stored as JSON bytes, serialized on put and parsed on get, as a real backend would. For tests,
/// benchmarks and single-process use; nothing survives the process.
/// </summary>
public sealed class InMemoryJobQueue : IDeadLetterJobQueue, IScheduledJobQueue, IRequeueJobQueue, IDisposable
{
    /// <summary>The default lease duration: 30 s.</summary>
    public static readonly TimeSpan DefaultLeaseDuration = TimeSpan.FromSeconds(30);

    /// <summary>The default interval at which expired leases and due puts are made visible: 50 ms.</summary>
    public static readonly TimeSpan DefaultSweepInterval = TimeSpan.FromMilliseconds(50);

    private readonly Channel<Message> _ready = Channel.CreateUnbounded<Message>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    private readonly Lock _lock = new();
    // Keyed by delivery number: deliveries made here carry it (JobDelivery.Number), and their ids are its digits.
    private readonly Dictionary<long, Lease> _leases = [];
    private readonly PriorityQueue<Message, DateTimeOffset> _delayed = new();
    private readonly List<DeadLetter> _deadLetters = [];
    private readonly TimeProvider _time;
    private readonly ITimer _sweeper;
    private long _nextId;
    private int _readyCount;

    /// <summary>Creates an empty queue.</summary>
    /// <param name="time">The clock; <see langword="null"/> for the system clock.</param>
    /// <param name="leaseDuration">How long a delivery stays invisible unless renewed; default 30 s.</param>
    /// <param name="sweepInterval">How often expired leases and due puts become visible; default 50 ms.</param>
    public InMemoryJobQueue(TimeProvider? time = null, TimeSpan? leaseDuration = null, TimeSpan? sweepInterval = null)
    {
        _time = time ?? TimeProvider.System;
        LeaseDuration = leaseDuration ?? DefaultLeaseDuration;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(LeaseDuration, TimeSpan.Zero, nameof(leaseDuration));
        var interval = sweepInterval ?? DefaultSweepInterval;
        _sweeper = _time.CreateTimer(static state => ((InMemoryJobQueue)state!).Sweep(), this, interval, interval);
    }

    /// <inheritdoc />
    public TimeSpan LeaseDuration { get; }

    /// <summary>How many messages the queue holds: ready, leased and delayed (not dead letters).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return Volatile.Read(ref _readyCount) + _leases.Count + _delayed.Count;
            }
        }
    }

    /// <summary>How many deliveries are leased and not yet acknowledged or released.</summary>
    public int LeasedCount
    {
        get
        {
            lock (_lock)
            {
                return _leases.Count;
            }
        }
    }

    /// <summary>How many messages are visible now, waiting for a receiver.</summary>
    public int ReadyCount => Volatile.Read(ref _readyCount);

    /// <summary>How many messages wait for their not-before time (scheduled puts and delayed releases).</summary>
    public int DelayedCount
    {
        get
        {
            lock (_lock)
            {
                return _delayed.Count;
            }
        }
    }

    /// <summary>The dead letters so far: each message's raw JSON and the reason.</summary>
    public IReadOnlyList<DeadLetter> DeadLetters
    {
        get
        {
            lock (_lock)
            {
                return [.. _deadLetters];
            }
        }
    }

    /// <inheritdoc />
    public Task PutAsync(Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        Enqueue(NewMessage(JobJson.SerializeToUtf8Bytes(job)));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task PutAsync(Job job, DateTimeOffset notBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var message = NewMessage(JobJson.SerializeToUtf8Bytes(job));
        if (notBefore <= _time.GetUtcNow())
        {
            Enqueue(message);
        }
        else
        {
            lock (_lock)
            {
                _delayed.Enqueue(message, notBefore);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Puts raw JSON, as an outside producer (Python Ergate, say) would; it is validated only when delivered.</summary>
    /// <param name="utf8Json">The message.</param>
    /// <returns>A completed task.</returns>
    public Task PutRawAsync(ReadOnlyMemory<byte> utf8Json)
    {
        Enqueue(NewMessage(utf8Json.ToArray()));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<Job> GetOneAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var delivery = await ReceiveAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var job = JobJson.Deserialize(delivery.Payload);
                await AcknowledgeAsync(delivery, cancellationToken).ConfigureAwait(false);
                return job;
            }
            catch (InvalidJobDataException invalid)
            {
                await DeadLetterAsync(delivery, invalid.Message, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async Task<JobDelivery> ReceiveAsync(CancellationToken cancellationToken) =>
        LeaseMessage(await _ready.Reader.ReadAsync(cancellationToken).ConfigureAwait(false));

    /// <inheritdoc />
    public bool TryReceive([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out JobDelivery? delivery)
    {
        if (_ready.Reader.TryRead(out var message))
        {
            delivery = LeaseMessage(message);
            return true;
        }

        delivery = null;
        return false;
    }

    private JobDelivery LeaseMessage(Message message)
    {
        Interlocked.Decrement(ref _readyCount);
        var number = Interlocked.Increment(ref _nextId);
        var delivery = new JobDelivery(number, message.Payload, message.Id, ++message.DeliveryCount);
        var expires = CoarseClock.GetUtcNow(_time) + LeaseDuration;
        lock (_lock)
        {
            _leases.Add(number, new Lease(message, expires));
        }

        return delivery;
    }

    // The lease key of a delivery: its number when this queue made it; otherwise its id read as one, for a delivery
    // rebuilt from an id (an id in any other form was never one of ours, and matches nothing).
    private static long LeaseKey(JobDelivery delivery)
    {
        if (delivery.Number != 0)
        {
            return delivery.Number;
        }

        var id = delivery.DeliveryId;
        return long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            && number > 0
            && id[0] != '0'
            ? number
            : 0;
    }

    /// <inheritdoc />
    public Task AcknowledgeAsync(JobDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        lock (_lock)
        {
            _leases.Remove(LeaseKey(delivery));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>
    /// While the lease holds, the delivered message itself carries the new state to the back of the queue (one lock,
    /// and no new message to allocate for a job that is still on its way); a lost lease gets an ordinary put.
    /// </remarks>
    public Task RequeueAsync(JobDelivery delivery, Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(job);
        var payload = JobJson.SerializeToUtf8Bytes(job);
        Message? message;
        lock (_lock)
        {
            message = _leases.Remove(LeaseKey(delivery), out var lease) ? lease.Message : null;
        }

        if (message is null)
        {
            message = NewMessage(payload);
        }
        else
        {
            // Out of the lease table and not yet on the ready channel: nobody else can see it while it changes.
            message.Payload = payload;
            message.DeliveryCount = 0;
        }

        Enqueue(message);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task ReleaseAsync(JobDelivery delivery, TimeSpan delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        Message? message;
        lock (_lock)
        {
            if (!_leases.Remove(LeaseKey(delivery), out var lease))
            {
                return Task.CompletedTask;
            }

            message = lease.Message;
            if (delay > TimeSpan.Zero)
            {
                _delayed.Enqueue(message, _time.GetUtcNow() + delay);
                return Task.CompletedTask;
            }
        }

        Enqueue(message);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> RenewLeaseAsync(JobDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        lock (_lock)
        {
            var key = LeaseKey(delivery);
            if (!_leases.TryGetValue(key, out var lease))
            {
                return Task.FromResult(false);
            }

            _leases[key] = lease with { Expires = CoarseClock.GetUtcNow(_time) + LeaseDuration };
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task DeadLetterAsync(JobDelivery delivery, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        lock (_lock)
        {
            if (_leases.Remove(LeaseKey(delivery), out var lease))
            {
                _deadLetters.Add(new DeadLetter(lease.Message.Payload, reason));
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose() => _sweeper.Dispose();

    private Message NewMessage(byte[] payload) => new(Interlocked.Increment(ref _nextId), payload);

    private void Enqueue(Message message)
    {
        Interlocked.Increment(ref _readyCount);
        _ready.Writer.TryWrite(message);
    }

    // Makes due puts and the messages of expired leases visible again.
    private void Sweep()
    {
        List<Message>? due = null;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            while (_delayed.TryPeek(out var message, out var notBefore) && notBefore <= now)
            {
                _delayed.Dequeue();
                (due ??= []).Add(message);
            }

            if (_leases.Count > 0)
            {
                List<long>? expired = null;
                foreach (var (id, lease) in _leases)
                {
                    if (lease.Expires <= now)
                    {
                        (expired ??= []).Add(id);
                    }
                }

                foreach (var id in expired ?? [])
                {
                    _leases.Remove(id, out var lease);
                    (due ??= []).Add(lease.Message);
                }
            }
        }

        foreach (var message in due ?? [])
        {
            Enqueue(message);
        }
    }

    /// <summary>A message that could not be processed, with the reason.</summary>
    /// <param name="Payload">The raw JSON.</param>
    /// <param name="Reason">Why.</param>
    public sealed record DeadLetter(ReadOnlyMemory<byte> Payload, string Reason);

    // The id is a number, written out by a delivery only when asked for (JobDelivery.MessageId).
    private sealed class Message(long id, byte[] payload)
    {
        public long Id { get; } = id;

        public byte[] Payload { get; set; } = payload;

        public int DeliveryCount { get; set; }
    }

    private readonly record struct Lease(Message Message, DateTimeOffset Expires);
}
