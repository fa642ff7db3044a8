using Orleans;

namespace Ergate.Orleans.Grains;

/// <summary>
/// How a job grain ended a delivery, so the pump can acknowledge or release it; with a queue that can requeue, also the
/// next state, which the pump puts as it acknowledges (in the same silo the job itself, not a copy).
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("ergate.delivery-reply")]
internal sealed record DeliveryReply([property: Id(0)] DeliveryOutcome Outcome, [property: Id(1)] TimeSpan ReleaseAfter, [property: Id(2)] Job? Requeue);
