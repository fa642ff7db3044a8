using System.Diagnostics.Metrics;
using Ergate.Tests.TestSupport;

namespace Ergate.Tests.Execution;

/// <summary>The step-duration histogram: steps are timed only while it has a listener, and then every step is.</summary>
public sealed class StepDurationMetricTests
{
    [Fact]
    public async Task RunOnce_WithListener_RecordsTheStepsDuration()
    {
        // Other tests run steps at the same time and record into the same histogram; this step is the only slow one.
        var durations = new List<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Ergate" && instrument.Name == "ergate.step.duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) =>
        {
            lock (durations)
            {
                durations.Add(value);
            }
        });
        listener.Start();
        var workflow = new Workflow("slow");
        workflow.Step("sleep", static async (int x) =>
        {
            await Task.Delay(50);
            return x + 1;
        });
        await using var engine = EngineHarness.Create(e => e.AddWorkflow(workflow));
        await engine.PutAsync(EngineHarness.NewJob("slow", 0));

        await engine.Runner.RunOnceAsync();

        lock (durations)
        {
            Assert.Contains(durations, d => d >= 40);
        }
    }
}
