namespace Ergate.Orleans.Tests.TestSupport;

/// <summary>Workflows the cluster tests use.</summary>
internal static class Workflows
{
    /// <summary>"counter": <paramref name="steps"/> steps, each returning its input plus one.</summary>
    public static Workflow Counter(int steps = 3, string name = "counter")
    {
        var workflow = new Workflow(name);
        for (var i = 1; i <= steps; i++)
        {
            workflow.Step($"step_{i}", (int x) => x + 1);
        }

        return workflow;
    }
}
