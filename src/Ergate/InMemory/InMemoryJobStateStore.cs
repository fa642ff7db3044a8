using System.Runtime.InteropServices;

namespace Ergate;

/// <summary>
/// An in-process state store with every capability: read back, and refusal of stale writes and of a state that carries a
/// job on over a cancellation request (<see cref="JobStaleness.IsRefused"/>). Jobs are stored as JSON bytes, as a real
/// backend would. For tests, benchmarks and single-process use; nothing survives the process.
/// </summary>
public sealed class InMemoryJobStateStore : IConditionalJobStateStore
{
    // A dictionary of structs under a lock rather than a concurrent dictionary of objects: a write then costs one
    // lookup, where the conditional write needed a read, a compare-and-swap and an entry object per state. An entry
    // holds the job's JSON as an array nobody changes, mostly one that exists anyway: the message a QUEUED state is put
    // on the queue as, or, for a status-only change (RUNNING, at every step), the text the job was read from with
    // where its status digit is, the digit set only when the state is read back. A write then copies nothing, and the
    // entry adds no bytes of its own to the memory of the jobs in flight (an earlier entry owned a buffer that it
    // overwrote in place; the engine's CPU per step was the same within noise). Serializing and parsing happen
    // outside the lock.
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
            current = new Entry(json, statusAt, job.StepsCompleted, job.Status, now);
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

            current = new Entry(json, statusAt, job.StepsCompleted, job.Status, now);
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

            current = new Entry(json, statusAt, job.StepsCompleted, job.Status, now);
        }

        return Task.FromResult(true);
    }

    /// <inheritdoc />
    public Task<StoredJob?> GetAsync(string jobKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobKey);
        Entry entry;
        lock (_lock)
        {
            if (!_entries.TryGetValue(jobKey, out entry))
            {
                return Task.FromResult<StoredJob?>(null);
            }
        }

        // The entry's array never changes, so a job read from it may keep referring to it; a status set apart is
        // written into a copy.
        var json = entry.Json;
        if (entry.StatusAt != 0)
        {
            json = new byte[entry.Json.Length];
            JobJson.CopyWithStatus(entry.Json, entry.StatusAt, entry.Status, json);
        }

        return Task.FromResult<StoredJob?>(new StoredJob(JobJson.Deserialize(json), entry.UpdatedAt));
    }

    // The array an entry holds: a state the engine puts on the queue next (QUEUED or SCHEDULED) is serialized into the
    // array the job caches, which the put then reuses; a job read in our layout and changed since only in its status
    // comes back as the text it was read from (which the queue never changes: see JobDelivery.Payload) and where its
    // status digit is; any other state is written into this thread's buffer and copied out.
    private static byte[] Serialize(Job job, out int statusAt)
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
        return job.CachedJson ?? JobJson.SerializeTransient(job).ToArray();
    }

    // Json is never changed; when StatusAt is not 0, the status digit there is read as Status.
    private readonly record struct Entry(byte[] Json, int StatusAt, int StepsCompleted, JobStatus Status, DateTimeOffset UpdatedAt);
}
