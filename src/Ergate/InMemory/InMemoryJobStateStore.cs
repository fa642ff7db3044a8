using System.Runtime.InteropServices;

namespace Ergate;

/// <summary>
/// An in-process state store with every capability: read back, and refusal of stale writes and of a step started over
/// a cancellation request (<see cref="JobStaleness.IsRefused"/>). Jobs are stored as JSON
/// bytes, as a real backend would. For tests, benchmarks and single-process use; nothing survives the process.
/// </summary>
public sealed class InMemoryJobStateStore : IConditionalJobStateStore
{
    // A dictionary of structs under a lock rather than a concurrent dictionary of objects: a write then costs one
    // lookup, where the conditional write needed a read, a compare-and-swap and an entry object per state. Each job's
    // JSON is copied into a buffer the entry owns and overwrites at the next write while the new JSON fits, as a
    // database writes into its pages: a state written and soon replaced (RUNNING, at every step) then allocates
    // nothing. Serializing and parsing happen outside the lock; the copies in and out, inside it.
    // Room left in a new buffer for the job's next states to grow into.
    private const int Slack = 32;

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;

    /// <summary>Creates an empty store.</summary>
    /// <param name="time">The clock for update times; <see langword="null"/> for the system clock.</param>
    public InMemoryJobStateStore(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
    }

    /// <summary>How many jobs the store holds.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>
    /// Forgets every stored job (for tests and benchmarks that reuse one store); the table keeps the room it grew to,
    /// as <see cref="Dictionary{TKey, TValue}.Clear"/> does. Clear only while no job is in flight: a job delivered
    /// afterwards runs as if it had never been stored.
    /// </summary>
    public void Clear()
    {
        lock (_lock)
        {
            _entries.Clear();
        }
    }

    /// <summary>The keys of the stored jobs, as of now.</summary>
    public ICollection<string> Keys
    {
        get
        {
            lock (_lock)
            {
                return [.. _entries.Keys];
            }
        }
    }

    /// <inheritdoc />
    public Task UpdateAsync(string jobKey, Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobKey);
        ArgumentNullException.ThrowIfNull(job);
        var json = Serialize(job, out var statusAt);
        var now = CoarseClock.GetUtcNow(_time);
        lock (_lock)
        {
            ref var current = ref CollectionsMarshal.GetValueRefOrAddDefault(_entries, jobKey, out _);
            current = Write(current.Buffer, json, statusAt, job, now);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public bool RefusesRunningOverCancelling => true;

    /// <inheritdoc />
    public Task<bool> TryUpdateAsync(string jobKey, Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobKey);
        ArgumentNullException.ThrowIfNull(job);
        var json = Serialize(job, out var statusAt);
        var now = CoarseClock.GetUtcNow(_time);
        lock (_lock)
        {
            ref var current = ref CollectionsMarshal.GetValueRefOrAddDefault(_entries, jobKey, out var exists);
            if (exists && JobStaleness.IsRefused(job.StepsCompleted, job.Status, current.StepsCompleted, current.Status))
            {
                return Task.FromResult(false);
            }

            current = Write(current.Buffer, json, statusAt, job, now);
        }

        return Task.FromResult(true);
    }

    /// <inheritdoc />
    public Task<bool> TryCreateAsync(string jobKey, Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobKey);
        ArgumentNullException.ThrowIfNull(job);
        var json = Serialize(job, out var statusAt);
        var now = CoarseClock.GetUtcNow(_time);
        lock (_lock)
        {
            ref var current = ref CollectionsMarshal.GetValueRefOrAddDefault(_entries, jobKey, out var exists);
            if (exists)
            {
                return Task.FromResult(false);
            }

            current = Write(null, json, statusAt, job, now);
        }

        return Task.FromResult(true);
    }

    /// <inheritdoc />
    public Task<StoredJob?> GetAsync(string jobKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobKey);
        byte[] json;
        DateTimeOffset updatedAt;
        lock (_lock)
        {
            if (!_entries.TryGetValue(jobKey, out var entry))
            {
                return Task.FromResult<StoredJob?>(null);
            }

            // A copy: the entry's buffer is overwritten by the next write, and the job read refers to its bytes.
            json = entry.Buffer.AsSpan(0, entry.Length).ToArray();
            updatedAt = entry.UpdatedAt;
        }

        return Task.FromResult<StoredJob?>(new StoredJob(JobJson.Deserialize(json), updatedAt));
    }

    // A state the engine puts on the queue next (QUEUED or SCHEDULED) is serialized into the array the job caches, so
    // the put reuses it; any other state only into this thread's buffer, since nothing else will need its bytes.
    // A job read in our layout and changed since only in its status (RUNNING, at every step) comes back as the text it
    // was read from and where its status digit is, to be copied straight into the entry and the digit set there.
    private static ReadOnlySpan<byte> Serialize(Job job, out int statusAt)
    {
        if (job.Status is JobStatus.Queued or JobStatus.Scheduled)
        {
            statusAt = 0;
            return JobJson.SerializeToUtf8Bytes(job);
        }

        if (job.CachedJson is null && job.TryGetReadJson(out var read, out statusAt))
        {
            return read;
        }

        statusAt = 0;
        return JobJson.SerializeTransient(job);
    }

    // Called under the lock. The buffer is reused while the JSON fits and is not far smaller; a new one has some room
    // to spare, since a job's next states are mostly a few characters longer or shorter (a step index, a percentage).
    private static Entry Write(byte[]? buffer, ReadOnlySpan<byte> json, int statusAt, Job job, DateTimeOffset now)
    {
        if (buffer is null || buffer.Length < json.Length || buffer.Length > (2 * json.Length) + Slack)
        {
            buffer = new byte[json.Length + Slack];
        }

        if (statusAt != 0)
        {
            JobJson.CopyWithStatus(json, statusAt, job.Status, buffer);
        }
        else
        {
            json.CopyTo(buffer);
        }

        return new Entry(buffer, json.Length, job.StepsCompleted, job.Status, now);
    }

    private readonly record struct Entry(byte[] Buffer, int Length, int StepsCompleted, JobStatus Status, DateTimeOffset UpdatedAt);
}
