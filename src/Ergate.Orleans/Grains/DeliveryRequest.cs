using Orleans;

namespace Ergate.Orleans.Grains;

/// <summary>A delivery for a job grain: the job key the pump computed and the message's JSON (never mutated after sending).</summary>
[GenerateSerializer]
[Immutable]
[Alias("ergate.delivery")]
internal sealed record DeliveryRequest([property: Id(0)] string Key, [property: Id(1)] byte[] Payload);
