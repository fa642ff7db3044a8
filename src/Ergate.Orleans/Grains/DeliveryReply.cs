using Orleans;

namespace Ergate.Orleans.Grains;

/// <summary>How a job grain ended a delivery, so the pump can acknowledge or release it.</summary>
[GenerateSerializer]
[Immutable]
[Alias("ergate.delivery-reply")]
internal sealed record DeliveryReply([property: Id(0)] DeliveryOutcome Outcome, [property: Id(1)] TimeSpan ReleaseAfter);
