namespace Ergate.Tests.TestSupport;

/// <summary>
/// Wraps the in-memory store and throws on the writes and reads it is told to fail: a stand-in for an unreachable
/// server in fault tests, not for a backend we ship.
/// </summary>
internal sealed class FaultyJobStateStore(InMemoryJobStateStore inner) : IConditionalJobStateStore
{
    private int _failuresLeft;

    public int Attempts { get; private set; }

    /// <summary>Fails the next <paramref name="count"/> writes.</summary>
    public void FailNextWrites(int count) => _failuresLeft = count;

    public Task UpdateAsync(string jobKey, Job job, CancellationToken cancellationToken) => Write(() => inner.UpdateAsync(jobKey, job, cancellationToken));

    public Task<bool> TryUpdateAsync(string jobKey, Job job, CancellationToken cancellationToken) => Write(() => inner.TryUpdateAsync(jobKey, job, cancellationToken));

    public Task<StoredJob?> GetAsync(string jobKey, CancellationToken cancellationToken) => inner.GetAsync(jobKey, cancellationToken);

    private Task<T> Write<T>(Func<Task<T>> write)
    {
        Attempts++;
        if (_failuresLeft > 0)
        {
            _failuresLeft--;
            throw new IOException("The state store is unreachable.");
        }

        return write();
    }

    private Task Write(Func<Task> write) => Write(async () =>
    {
        await write();
        return true;
    });
}
