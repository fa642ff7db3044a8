using Orleans;

namespace Ergate.Orleans.Serialization;

/// <summary>
/// A job grain's <see cref="DeliveryResult"/> on the wire: how the delivery ended and, when released, for how long.
/// The job's state stays behind (the pump settles the delivery without it), so only these two travel.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("ergate.delivery-result")]
internal readonly struct DeliveryResultSurrogate
{
    public DeliveryResultSurrogate(DeliveryOutcome outcome, TimeSpan releaseAfter)
    {
        Outcome = outcome;
        ReleaseAfter = releaseAfter;
    }

    [Id(0)]
    public DeliveryOutcome Outcome { get; }

    [Id(1)]
    public TimeSpan ReleaseAfter { get; }
}
