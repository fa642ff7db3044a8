using System.Text;
using System.Text.Json;
using Ergate.Conformance.Tests.Cases;
using Ergate.Conformance.Tests.Comparison;
using Ergate.Conformance.Tests.Recording;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Ergate.Conformance.Tests.Drivers;

/// <summary>
/// Runs a case on an in-process Orleans cluster: the case's jobs are put straight on a shared in-memory queue (not
/// submitted, which would add events and could not create mid-way jobs), every silo's pump pulls them, and the run
/// ends when every job has had a final-status update followed by its JOB_RUN_END.
/// </summary>
public static class ClusterDriver
{
    public static async Task<IReadOnlyList<JsonElement>> RunAsync(ConformanceCase conformanceCase, short silos, CancellationToken cancellationToken)
    {
        var recorder = new EventRecorder();
        using var inner = new InMemoryJobQueue();
        var queue = new RecordingJobQueue(inner, recorder);
        var store = new RecordingJobStateStore(new InMemoryJobStateStore(), recorder);
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) => silo.AddErgate(ergate =>
        {
            foreach (var workflow in CaseWorkflowFactory.Build(conformanceCase))
            {
                ergate.AddWorkflow(workflow);
            }

            ergate.UseQueue(queue).UseStateStore(store);
            recorder.RecordSignals(ergate);
        }));
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        try
        {
            foreach (var job in conformanceCase.Jobs)
            {
                await inner.PutRawAsync(Encoding.UTF8.GetBytes(job.GetRawText()));
            }

            while (!AllJobsEnded(conformanceCase, recorder.Events))
            {
                await Task.Delay(20, cancellationToken);
            }

            return recorder.Events;
        }
        finally
        {
            await cluster.StopAllSilosAsync();
        }
    }

    private static bool AllJobsEnded(ConformanceCase conformanceCase, IReadOnlyList<JsonElement> events)
    {
        foreach (var expected in conformanceCase.PerJob)
        {
            var final = false;
            var ended = false;
            foreach (var e in events)
            {
                var kind = e.GetProperty("event").GetString();
                if (kind == "update")
                {
                    var job = e.GetProperty("job");
                    if (JsonValueComparer.ValuesEqual(job.GetProperty("id"), expected.JobId))
                    {
                        final = ((JobStatus)job.GetProperty("status").GetInt32()).IsFinal();
                        ended = false;
                    }
                }
                else if (kind == "signal" && final && e.GetProperty("signal").GetString() == "JOB_RUN_END"
                    && JsonValueComparer.ValuesEqual(e.GetProperty("job_id"), expected.JobId))
                {
                    ended = true;
                }
            }

            if (!ended)
            {
                return false;
            }
        }

        return true;
    }
}
