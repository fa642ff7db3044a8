using Microsoft.Extensions.DependencyInjection;

namespace Ergate;

/// <summary>
/// Configures Ergate: workflows, the queue and state store, signal handlers and the runtime. Returned by
/// <c>AddErgate</c>; backends add <c>Use…</c> extension methods to it.
/// </summary>
public interface IErgateBuilder
{
    /// <summary>The services being configured.</summary>
    IServiceCollection Services { get; }

    /// <summary>
    /// Claims a single slot (the queue, the state store, the runtime) for a component. A second claim fails at once
    /// with a message naming both components.
    /// </summary>
    /// <param name="slot">The slot, for example "queue".</param>
    /// <param name="component">What fills it, for example "SQLite queue".</param>
    /// <exception cref="InvalidOperationException">The slot is already taken.</exception>
    void ClaimSlot(string slot, string component);
}
