using Orleans;

namespace Ergate.Orleans.Grains;

/// <summary>The silo's pump: a local stateless worker (key 0), one activation per silo.</summary>
internal interface IPumpGrain : IGrainWithIntegerKey
{
    /// <summary>Starts the pump's loops if they are not running. Idempotent.</summary>
    Task StartAsync();

    /// <summary>Stops pulling and waits for the deliveries in flight to settle (or the token to fire).</summary>
    Task StopAsync(CancellationToken cancellationToken = default);

    /// <summary>How many deliveries are in flight; for tests and diagnostics.</summary>
    Task<int> GetInFlightAsync();

    /// <summary>Deactivates this activation (its loops drain first); the silo restarts the pump. For tests.</summary>
    Task DeactivateAsync();
}
