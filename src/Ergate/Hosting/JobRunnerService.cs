using Microsoft.Extensions.Hosting;

namespace Ergate;

/// <summary>Runs the in-process <see cref="JobRunner"/> for the host's lifetime.</summary>
internal sealed class JobRunnerService(JobRunner runner) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => runner.RunAsync(stoppingToken);
}
