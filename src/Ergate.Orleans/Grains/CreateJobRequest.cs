using Orleans;

namespace Ergate.Orleans.Grains;

/// <summary>A validated new job for its job grain: its JSON, and when it may first be delivered.</summary>
[GenerateSerializer]
[Immutable]
[Alias("ergate.create-job")]
internal sealed record CreateJobRequest([property: Id(0)] string JobJson, [property: Id(1)] DateTimeOffset? NotBefore);
