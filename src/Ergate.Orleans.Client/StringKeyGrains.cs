using Orleans;
using Orleans.Runtime;

namespace Ergate.Orleans;

/// <summary>
/// References to grains of one interface by string key, made without Orleans resolving the interface's type on every
/// call: <c>GetGrain&lt;T&gt;(key)</c> formats and parses the interface's type name each time (measured at about
/// a third of the allocations per job step on the pump's path). The grain and interface types are resolved from the
/// first reference and reused.
/// </summary>
/// <typeparam name="TGrain">The grain interface.</typeparam>
internal sealed class StringKeyGrains<TGrain>(IGrainFactory grains)
    where TGrain : IGrainWithStringKey
{
    private Resolved? _resolved;

    public TGrain Get(string key)
    {
        if (Volatile.Read(ref _resolved) is { } resolved)
        {
            return (TGrain)grains.GetGrain(GrainId.Create(resolved.GrainType, key), resolved.InterfaceType);
        }

        var first = grains.GetGrain<TGrain>(key);
        var reference = (GrainReference)(object)first;
        Volatile.Write(ref _resolved, new Resolved(reference.GrainId.Type, reference.InterfaceType));
        return first;
    }

    private sealed record Resolved(GrainType GrainType, GrainInterfaceType InterfaceType);
}
