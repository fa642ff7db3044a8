using Orleans;

namespace Ergate.Orleans.Serialization;

/// <summary>
/// Lets a job grain return the engine's <see cref="DeliveryResult"/> itself, so the pump passes the grain call's task to
/// the engine with no adapting step of its own. The result's jobs are not carried (see <see cref="DeliveryResultSurrogate"/>).
/// </summary>
[RegisterConverter]
internal sealed class DeliveryResultSurrogateConverter : IConverter<DeliveryResult, DeliveryResultSurrogate>
{
    public DeliveryResult ConvertFromSurrogate(in DeliveryResultSurrogate surrogate) => new(surrogate.Outcome, null, surrogate.ReleaseAfter, Settled: surrogate.Settled);

    public DeliveryResultSurrogate ConvertToSurrogate(in DeliveryResult value) => new(value.Outcome, value.ReleaseAfter, value.Settled);
}
