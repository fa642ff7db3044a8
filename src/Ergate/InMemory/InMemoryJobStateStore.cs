using System.Collections.Concurrent;

namespace Ergate;

/// <summary>
/// An in-process state store with every capability: read back, and refusal of stale writes. Jobs are stored as JSON
/// bytes, as a real backend would. For tests, benchmarks and single-process use; nothing survives the process.
/// </summary>
public sealed class InMemoryJobStateStore : IConditionalJobStateStore
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Creates an empty store.</summary>
    /// <param name="time">The clock for update times; <see langword="null"/> for the system clock.</param>
    public InMemoryJobStateStore(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
    }

    /// <summary>How many jobs the store holds.</summary>
    public int Count => _entries.Count;

    /// <summary>The keys of the stored jobs.</summary>
    public ICollection<string> Keys => _entries.Keys;

    /// <inheritdoc />
    public Task UpdateAsync(string jobKey, Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobKey);
        _entries[jobKey] = NewEntry(job);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> TryUpdateAsync(string jobKey, Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobKey);
        var entry = NewEntry(job);
        while (true)
        {
            if (!_entries.TryGetValue(jobKey, out var current))
            {
                if (_entries.TryAdd(jobKey, entry))
                {
                    return Task.FromResult(true);
                }

                continue;
            }

            if (JobStaleness.IsStale(job.StepsCompleted, current.StepsCompleted, current.Status))
            {
                return Task.FromResult(false);
            }

            if (_entries.TryUpdate(jobKey, entry, current))
            {
                return Task.FromResult(true);
            }
        }
    }

    /// <inheritdoc />
    public Task<bool> TryCreateAsync(string jobKey, Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobKey);
        return Task.FromResult(_entries.TryAdd(jobKey, NewEntry(job)));
    }

    /// <inheritdoc />
    public Task<StoredJob?> GetAsync(string jobKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobKey);
        return Task.FromResult(_entries.TryGetValue(jobKey, out var entry)
            ? new StoredJob(JobJson.Deserialize(entry.Json), entry.UpdatedAt)
            : null);
    }

    private Entry NewEntry(Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new Entry(JobJson.SerializeToUtf8Bytes(job), job.StepsCompleted, job.Status, _time.GetUtcNow());
    }

    // A class, not a record: TryUpdate must compare entries by reference.
    private sealed class Entry(byte[] json, int stepsCompleted, JobStatus status, DateTimeOffset updatedAt)
    {
        public byte[] Json { get; } = json;

        public int StepsCompleted { get; } = stepsCompleted;

        public JobStatus Status { get; } = status;

        public DateTimeOffset UpdatedAt { get; } = updatedAt;
    }
}
