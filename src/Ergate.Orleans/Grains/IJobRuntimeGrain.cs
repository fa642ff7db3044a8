using Orleans;

namespace Ergate.Orleans.Grains;

/// <summary>
/// The job grain's runtime side, used only inside the cluster: the intake grain creates jobs through it and the
/// pump hands it deliveries. Same grain as <see cref="IJobGrain"/> (same key, same activation).
/// </summary>
internal interface IJobRuntimeGrain : IGrainWithStringKey
{
    /// <summary>Stores and queues a new job; refuses an existing one. Not reentrant with deliveries.</summary>
    Task<SubmitRejection> CreateAsync(CreateJobRequest request);

    /// <summary>
    /// Processes one delivery: at most one step. The pump settles the delivery with the result, which carries how the
    /// delivery ended and when to release it, never the job's state.
    /// </summary>
    ValueTask<DeliveryResult> ProcessAsync(DeliveryRequest request);
}
