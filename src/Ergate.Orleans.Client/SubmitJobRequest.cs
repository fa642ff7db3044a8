using Orleans;

namespace Ergate.Orleans;

/// <summary>A submission as it travels to the intake grain: JSON texts, validated there.</summary>
[GenerateSerializer]
[Immutable]
[Alias("ergate.submit-request")]
public sealed record SubmitJobRequest(
    [property: Id(0)] string WorkflowName,
    [property: Id(1)] string? IdJson,
    [property: Id(2)] string InputJson,
    [property: Id(3)] string UserContextJson,
    [property: Id(4)] DateTimeOffset? RequestedStartTime);
