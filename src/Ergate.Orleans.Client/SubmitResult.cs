using Orleans;

namespace Ergate.Orleans;

/// <summary>The answer to a submission.</summary>
[GenerateSerializer]
[Immutable]
[Alias("ergate.submit-result")]
public sealed record SubmitResult(
    [property: Id(0)] SubmitRejection Rejection,
    [property: Id(1)] string Message,
    [property: Id(2)] string? IdJson,
    [property: Id(3)] JobStatus Status)
{
    /// <summary>Whether the job was accepted and queued.</summary>
    public bool IsAccepted => Rejection == SubmitRejection.None;
}
