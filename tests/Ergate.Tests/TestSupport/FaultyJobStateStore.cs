namespace Ergate.Tests.TestSupport;

/// <summary>
/// Wraps the in-memory store and throws on the writes and reads it is told to fail: a stand-in for an unreachable
/// server in fault tests, not for a backend we ship.
/// </summary>
internal sealed class FaultyJobStateStore(InMemoryJobStateStore inner) : IConditionalJobStateStore
{
    private int _failuresLeft;
    private int _failuresAfterWritingLeft;

    public int Attempts { get; private set; }

    /// <summary>Fails the next <paramref name="count"/> writes.</summary>
    public void FailNextWrites(int count) => _failuresLeft = count;

    /// <summary>Makes the next <paramref name="count"/> writes succeed and then throw, as a write that commits but whose reply is lost.</summary>
    public void FailAfterNextWrites(int count) => _failuresAfterWritingLeft = count;

    public Task UpdateAsync(string jobKey, Job job, CancellationToken cancellationToken) => Write(() => inner.UpdateAsync(jobKey, job, cancellationToken));

    // As the store it wraps: the engine then takes the same first-delivery path as with that store.
    public bool RefusesRunningOverCancelling => inner.RefusesRunningOverCancelling;

    public Task<bool> TryUpdateAsync(string jobKey, Job job, CancellationToken cancellationToken) => Write(() => inner.TryUpdateAsync(jobKey, job, cancellationToken));

    public Task<bool> TryCreateAsync(string jobKey, Job job, CancellationToken cancellationToken) => Write(() => inner.TryCreateAsync(jobKey, job, cancellationToken));

    public Task<StoredJob?> GetAsync(string jobKey, CancellationToken cancellationToken) => inner.GetAsync(jobKey, cancellationToken);

    private async Task<T> Write<T>(Func<Task<T>> write)
    {
        Attempts++;
        if (_failuresLeft > 0)
        {
            _failuresLeft--;
            throw new IOException("The state store is unreachable.");
        }

        var result = await write();
        if (_failuresAfterWritingLeft > 0)
        {
            _failuresAfterWritingLeft--;
            throw new IOException("The state store's reply was lost.");
        }

        return result;
    }

    private Task Write(Func<Task> write) => Write(async () =>
    {
        await write();
        return true;
    });
}
