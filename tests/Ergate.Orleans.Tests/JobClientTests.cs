using Ergate.Orleans.Tests.TestSupport;

namespace Ergate.Orleans.Tests;

public sealed class JobClientTests
{
    [Fact]
    public async Task SubmitAsync_ThreeStepJob_CompletesWithItsValue()
    {
        await using var cluster = await ErgateCluster.StartAsync(1, e => e.AddWorkflow(Workflows.Counter()));

        var id = await cluster.Client.SubmitAsync("counter", input: 10);
        var finals = await cluster.WaitForFinalAsync([id]);

        var job = finals[id].ToJob();
        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal(13, job.LastReturnValue.GetInt32());
        Assert.Equal(10, job.InitialInputValue.GetInt32());
        Assert.Equal(3, job.StepsCompleted);
    }
}
