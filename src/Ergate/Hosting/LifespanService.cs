using Microsoft.Extensions.Hosting;

namespace Ergate;

/// <summary>Ergate's lifespan hook: code run before the worker starts and after it stops.</summary>
internal sealed class LifespanService(IServiceProvider services, Func<IServiceProvider, CancellationToken, Task> onStart, Func<IServiceProvider, CancellationToken, Task>? onStop) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => onStart(services, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => onStop?.Invoke(services, cancellationToken) ?? Task.CompletedTask;
}
