using Orleans;

namespace Ergate.Orleans.Grains;

/// <summary>
/// A delivery handed to a job grain: the job key, the job as the pump read it, and the delivery's id (a store that
/// shares transactions with the queue acknowledges the delivery by it, with the step's result). Immutable so a call to
/// a grain on the same silo passes the job without copying; the grain takes the job over, and the pump does not touch
/// it again.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("ergate.delivery")]
internal sealed record DeliveryRequest([property: Id(0)] string Key, [property: Id(1)] Job Job, [property: Id(2)] string DeliveryId);
