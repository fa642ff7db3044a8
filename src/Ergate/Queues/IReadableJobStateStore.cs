namespace Ergate;

/// <summary>A state-store capability: reading a job back by key.</summary>
public interface IReadableJobStateStore : IJobStateStore
{
    /// <summary>Reads the latest state of a job.</summary>
    /// <param name="jobKey">The job key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored job, or <see langword="null"/> when the store has none with this key.</returns>
    Task<StoredJob?> GetAsync(string jobKey, CancellationToken cancellationToken);
}
