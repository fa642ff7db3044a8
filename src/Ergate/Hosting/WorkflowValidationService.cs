using Microsoft.Extensions.Hosting;

namespace Ergate;

/// <summary>Builds the <see cref="WorkflowRegistry"/> when the host starts, so invalid definitions stop the host at once.</summary>
internal sealed class WorkflowValidationService(WorkflowRegistry registry) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(registry);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
