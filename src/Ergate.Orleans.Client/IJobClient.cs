using System.Text.Json;

namespace Ergate.Orleans;

/// <summary>
/// Submits, reads, cancels and watches jobs in an Ergate cluster. Get one with <c>GetErgateClient()</c> on any
/// <c>IClusterClient</c> or <c>IGrainFactory</c>, or from DI after <c>AddErgate()</c> on a client builder.
/// </summary>
public interface IJobClient
{
    /// <summary>Submits a job with a string id.</summary>
    /// <param name="workflowName">The workflow.</param>
    /// <param name="input">The first step's input; serialized with snake_case names.</param>
    /// <param name="userContext">The job's user context.</param>
    /// <param name="id">The job's id; a new GUID string when <see langword="null"/>.</param>
    /// <param name="requestedStartTime">When to start; a future time makes the job SCHEDULED until then.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job's id.</returns>
    /// <exception cref="JobSubmissionException">The submission was rejected; nothing was queued.</exception>
    Task<string> SubmitAsync(
        string workflowName,
        object? input = null,
        object? userContext = null,
        string? id = null,
        DateTimeOffset? requestedStartTime = null,
        CancellationToken cancellationToken = default);

    /// <summary>Submits a job whose id is any JSON value (a number, say).</summary>
    /// <param name="workflowName">The workflow.</param>
    /// <param name="id">The job's id.</param>
    /// <param name="input">The first step's input.</param>
    /// <param name="userContext">The job's user context.</param>
    /// <param name="requestedStartTime">When to start.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the job is queued.</returns>
    /// <exception cref="JobSubmissionException">The submission was rejected; nothing was queued.</exception>
    Task SubmitWithIdAsync(
        string workflowName,
        JsonElement id,
        object? input = null,
        object? userContext = null,
        DateTimeOffset? requestedStartTime = null,
        CancellationToken cancellationToken = default);

    /// <summary>Reads a job's latest state.</summary>
    /// <param name="id">The job's string id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The state, or <see langword="null"/> when unknown.</returns>
    Task<JobSnapshot?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Reads the latest state of a job whose id is any JSON value.</summary>
    /// <param name="id">The job's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The state, or <see langword="null"/> when unknown.</returns>
    Task<JobSnapshot?> GetAsync(JsonElement id, CancellationToken cancellationToken = default);

    /// <summary>Requests a job's cancellation (see <see cref="IJobGrain.CancelAsync"/>).</summary>
    /// <param name="id">The job's string id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What the request found.</returns>
    Task<CancelResult> CancelAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams a job's state until it is final: the current state, then each change. Survives the loss of the job's
    /// silo by re-reading and resuming. Ends at once for an unknown job.
    /// </summary>
    /// <param name="id">The job's string id.</param>
    /// <param name="cancellationToken">Stops watching.</param>
    /// <returns>The states.</returns>
    IAsyncEnumerable<JobSnapshot> WatchAsync(string id, CancellationToken cancellationToken = default);
}
