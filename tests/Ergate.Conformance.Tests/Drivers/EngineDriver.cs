using System.Text;
using System.Text.Json;
using Ergate.Conformance.Tests.Cases;
using Ergate.Conformance.Tests.Recording;
using Microsoft.Extensions.DependencyInjection;

namespace Ergate.Conformance.Tests.Drivers;

/// <summary>Runs a case on the core engine alone: one in-process worker over a FIFO in-memory queue, until the queue is empty.</summary>
public static class EngineDriver
{
    public static async Task<IReadOnlyList<JsonElement>> RunAsync(ConformanceCase conformanceCase, CancellationToken cancellationToken)
    {
        var recorder = new EventRecorder();
        using var inner = new InMemoryJobQueue();
        var queue = new RecordingJobQueue(inner, recorder);
        var store = new RecordingJobStateStore(new InMemoryJobStateStore(), recorder);
        var services = new ServiceCollection().AddLogging();
        services.AddErgate(ergate =>
        {
            foreach (var workflow in CaseWorkflowFactory.Build(conformanceCase))
            {
                ergate.AddWorkflow(workflow);
            }

            ergate.UseQueue(queue).UseStateStore(store);
            recorder.RecordSignals(ergate);
        });
        await using var provider = services.BuildServiceProvider();
        var runner = provider.GetRequiredService<JobRunner>();
        foreach (var job in conformanceCase.Jobs)
        {
            await inner.PutRawAsync(Encoding.UTF8.GetBytes(job.GetRawText()));
        }

        while (inner.Count > 0)
        {
            await runner.RunOnceAsync(cancellationToken);
        }

        return recorder.Events;
    }
}
