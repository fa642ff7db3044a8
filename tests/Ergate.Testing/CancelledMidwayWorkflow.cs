namespace Ergate.Testing;

/// <summary>
/// A three-step workflow (each step returns its input plus one) whose first step records the job's cancellation in the
/// state store while it runs, as another worker would (a second activation during a failover): a backend's engine test
/// then checks that the step's result does not carry the job on over the request, and that the job ends CANCELLED with
/// that result.
/// </summary>
public static class CancelledMidwayWorkflow
{
    /// <summary>The workflow's name.</summary>
    public const string Name = "cancelled-midway";

    /// <summary>Creates the workflow for the job stored under <paramref name="jobKey"/>.</summary>
    /// <param name="jobKey">The key of the job the first step cancels.</param>
    /// <returns>The workflow.</returns>
    public static Workflow Create(string jobKey)
    {
        var workflow = new Workflow(Name);
        workflow.Step("first", async (int x, IJobStateStore store) =>
        {
            var running = (await ((IReadableJobStateStore)store).GetAsync(jobKey, CancellationToken.None))!.Job;
            running.Status = JobStatus.Cancelling;
            await store.UpdateAsync(jobKey, running, CancellationToken.None);
            return x + 1;
        });
        workflow.Step("second", (int x) => x + 1);
        workflow.Step("third", (int x) => x + 1);
        return workflow;
    }
}
