using System.Globalization;

namespace Ergate.Benchmarks.Configs;

/// <summary>The engine's side of the workload: S steps, each returning its input plus one.</summary>
internal static class CountingWorkflow
{
    public static string Name(int steps) => string.Create(CultureInfo.InvariantCulture, $"count_{steps}");

    public static Workflow Create(int steps)
    {
        var workflow = new Workflow(Name(steps));
        for (var i = 1; i <= steps; i++)
        {
            workflow.Step(string.Create(CultureInfo.InvariantCulture, $"add_{i}"), static (int x) => x + 1);
        }

        return workflow;
    }
}
