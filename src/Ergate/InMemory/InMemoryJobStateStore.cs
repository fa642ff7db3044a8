using System.Runtime.InteropServices;

namespace Ergate;

/// <summary>
/// An in-process state store with every capability: read back, and refusal of stale writes. Jobs are stored as JSON
/// bytes, as a real backend would. For tests, benchmarks and single-process use; nothing survives the process.
/// </summary>
public sealed class InMemoryJobStateStore : IConditionalJobStateStore
{
    // A dictionary of structs under a lock rather than a concurrent dictionary of objects: a write then costs one
    // lookup and allocates nothing but the JSON, where the conditional write needed a read, a compare-and-swap and an
    // entry object per state. The lock is held only for the lookup; serializing and parsing happen outside it.
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
        var entry = NewEntry(job);
        lock (_lock)
        {
            _entries[jobKey] = entry;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> TryUpdateAsync(string jobKey, Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobKey);
        var entry = NewEntry(job);
        lock (_lock)
        {
            ref var current = ref CollectionsMarshal.GetValueRefOrAddDefault(_entries, jobKey, out var exists);
            if (exists && JobStaleness.IsStale(entry.StepsCompleted, current.StepsCompleted, current.Status))
            {
                return Task.FromResult(false);
            }

            current = entry;
        }

        return Task.FromResult(true);
    }

    /// <inheritdoc />
    public Task<bool> TryCreateAsync(string jobKey, Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobKey);
        var entry = NewEntry(job);
        lock (_lock)
        {
            return Task.FromResult(_entries.TryAdd(jobKey, entry));
        }
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

        return Task.FromResult<StoredJob?>(new StoredJob(JobJson.Deserialize(entry.Json), entry.UpdatedAt));
    }

    private Entry NewEntry(Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new Entry(JobJson.SerializeToUtf8Bytes(job), job.StepsCompleted, job.Status, _time.GetUtcNow());
    }

    private readonly record struct Entry(byte[] Json, int StepsCompleted, JobStatus Status, DateTimeOffset UpdatedAt);
}
