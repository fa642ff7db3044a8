using Orleans;

namespace Ergate.Orleans.Grains;

/// <summary>
/// A delivery handed to a job grain: the job key and the job as the pump read it. Immutable so a call to a grain on
/// the same silo passes the job without copying; the grain takes the job over, and the pump does not touch it again.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("ergate.delivery")]
internal sealed record DeliveryRequest([property: Id(0)] string Key, [property: Id(1)] Job Job);
