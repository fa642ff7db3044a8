using Orleans;

namespace Ergate.Orleans;

/// <summary>
/// Accepts submissions: validates them (workflow known, payload within the limit, id new), assigns an id, stores the
/// job QUEUED (or SCHEDULED) and queues it. A stateless worker: the key is always 0 and every silo serves calls locally.
/// Clients use <see cref="IJobClient"/> rather than calling it directly.
/// </summary>
public interface IJobIntakeGrain : IGrainWithIntegerKey
{
    /// <summary>Submits a job. Not idempotent without an id: each call without one creates a new job.</summary>
    /// <param name="request">The submission.</param>
    /// <returns>Accepted with the job's id, or the rejection; nothing is queued for a rejection.</returns>
    Task<SubmitResult> SubmitAsync(SubmitJobRequest request);
}
