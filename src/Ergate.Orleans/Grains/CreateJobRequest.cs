using Orleans;

namespace Ergate.Orleans.Grains;

/// <summary>
/// A validated new job for its job grain, and when it may first be delivered. Immutable so a call on the same silo
/// passes the job without copying; the grain takes it over.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("ergate.create-job")]
internal sealed record CreateJobRequest([property: Id(0)] Job Job, [property: Id(1)] DateTimeOffset? NotBefore);
