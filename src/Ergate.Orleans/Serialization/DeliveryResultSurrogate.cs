using Orleans;

namespace Ergate.Orleans.Serialization;

/// <summary>
/// A job grain's <see cref="DeliveryResult"/> on the wire: how the delivery ended, when released for how long, and
/// whether the grain settled it already. The job's state stays behind (the pump settles the delivery without it).
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("ergate.delivery-result")]
internal readonly struct DeliveryResultSurrogate
{
    public DeliveryResultSurrogate(DeliveryOutcome outcome, TimeSpan releaseAfter, bool settled)
    {
        Outcome = outcome;
        ReleaseAfter = releaseAfter;
        Settled = settled;
    }

    [Id(0)]
    public DeliveryOutcome Outcome { get; }

    [Id(1)]
    public TimeSpan ReleaseAfter { get; }

    [Id(2)]
    public bool Settled { get; }
}
