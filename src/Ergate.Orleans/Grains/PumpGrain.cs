using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Concurrency;

namespace Ergate.Orleans.Grains;

/// <summary>
/// Owns the silo's <see cref="DeliveryPump"/>: started by <see cref="Hosting.PumpHostedService"/> when the silo starts, stopped
/// before it stops, and restarted by it if this activation dies. Idle-worker removal is off: Orleans' adaptive
/// collector would otherwise deactivate a busy pump (shared notes, Orleans 10 §3). It never runs user code.
/// </summary>
[StatelessWorker(1, removeIdleWorkers: false)]
internal sealed class PumpGrain(
    JobProcessor processor,
    IGrainFactory grains,
    IOptions<ErgateSiloOptions> options,
    ILogger<DeliveryPump> logger) : Grain, IPumpGrain
{
    private DeliveryPump? _pump;

    public Task StartAsync()
    {
        if (_pump is null)
        {
            _pump = new DeliveryPump(processor, grains, options.Value, logger);
            _pump.Start();
            this.RegisterGrainTimer(_ => Task.CompletedTask, new GrainTimerCreationOptions(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)) { KeepAlive = true });
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken = default) =>
        _pump?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    public Task<int> GetInFlightAsync() => Task.FromResult(_pump?.InFlight ?? 0);

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_pump is not null)
        {
            await _pump.StopAsync(cancellationToken);
        }
    }
}
