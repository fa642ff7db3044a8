namespace Ergate.Orleans.Grains;

/// <summary>
/// Counts this silo's job grain activations, so a job grain can tell whether to stay active between its job's steps
/// (cheap when its next delivery comes soon) or to deactivate (so memory follows the work in flight, not the backlog).
/// One per silo, from its services.
/// </summary>
internal sealed class JobGrainCensus
{
    private int _active;

    public int Active => Volatile.Read(ref _active);

    public void Activated() => Interlocked.Increment(ref _active);

    public void Deactivated() => Interlocked.Decrement(ref _active);
}
