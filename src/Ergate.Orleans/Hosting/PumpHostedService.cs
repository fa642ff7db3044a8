using Ergate.Orleans.Diagnostics;
using Ergate.Orleans.Grains;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;

namespace Ergate.Orleans.Hosting;

/// <summary>
/// Starts the silo's pump when the silo is active, checks every <see cref="ErgateSiloOptions.PumpCheckInterval"/> that
/// it still runs (restarting it if its activation died), and stops it first when the silo stops, so started steps
/// finish within the host's shutdown timeout while grain calls still work.
/// </summary>
internal sealed class PumpHostedService(
    IGrainFactory grains,
    IOptions<ErgateSiloOptions> options,
    TimeProvider time,
    ILogger<PumpHostedService> logger) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _keeper = Task.CompletedTask;

    private IPumpGrain Pump => grains.GetGrain<IPumpGrain>(0);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // In the background: the first grain call of a cold silo can be slow, and start-up must not wait on it.
        _keeper = KeepRunningAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _keeper.ConfigureAwait(false);
        try
        {
            await Pump.StopAsync(cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.PumpStopFailed(logger, exception);
        }
        catch (OperationCanceledException)
        {
            Log.PumpStopTimedOut(logger, -1);
        }
    }

    private async Task KeepRunningAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Pump.StartAsync().WaitAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                Log.PumpStartFailed(logger, exception);
            }

            try
            {
                await Task.Delay(options.Value.PumpCheckInterval, time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
