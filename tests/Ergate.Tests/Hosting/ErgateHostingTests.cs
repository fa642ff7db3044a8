using Ergate.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Ergate.Tests.Hosting;

public sealed class ErgateHostingTests
{
    [Fact]
    public async Task Host_InProcessWorker_RunsJobsAndLifespanWrapsIt()
    {
        var order = new List<string>();
        var workflow = new Workflow("hosted");
        workflow.Step("one", (int x) =>
        {
            lock (order)
            {
                order.Add("step");
            }

            return x + 1;
        });
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddErgate(e => e
            .AddWorkflow(workflow)
            .UseInMemoryQueue()
            .UseInMemoryStateStore()
            .UseInProcessWorker()
            .UseLifespan(
                (_, _) =>
                {
                    order.Add("start");
                    return Task.CompletedTask;
                },
                (_, _) =>
                {
                    order.Add("stop");
                    return Task.CompletedTask;
                }));
        using var host = builder.Build();
        var queue = host.Services.GetRequiredService<InMemoryJobQueue>();
        var store = host.Services.GetRequiredService<InMemoryJobStateStore>();
        var job = EngineHarness.NewJob("hosted", 41);
        await queue.PutAsync(job, CancellationToken.None);

        await host.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while ((await store.GetAsync(JobKeys.GetOrAssign(job), CancellationToken.None))?.Job.Status != JobStatus.Completed)
        {
            await Task.Delay(10, timeout.Token);
        }

        await host.StopAsync();

        Assert.Equal(["start", "step", "stop"], order);
        Assert.Equal(42, (await store.GetAsync(JobKeys.GetOrAssign(job), CancellationToken.None))!.Job.LastReturnValue.GetInt32());
    }

    [Fact]
    public async Task Host_InvalidWorkflow_FailsAtStart()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddErgate(e => e.AddWorkflow(new Workflow("empty")).UseInMemoryQueue().UseInMemoryStateStore().UseInProcessWorker());
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<WorkflowDefinitionException>(() => host.StartAsync());

        Assert.Contains("Workflow 'empty' has no steps", error.Message);
    }

    [Fact]
    public async Task Host_InvalidOptionsInConfiguration_FailsAtStart()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Ergate:WorkerConcurrency"] = "0" });
        builder.Services.Configure<ErgateOptions>(builder.Configuration.GetSection(ErgateOptions.SectionName));
        builder.Services.AddErgate(e => e.AddWorkflow(Single()).UseInMemoryQueue().UseInMemoryStateStore());
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("WorkerConcurrency", error.Message);
    }

    [Fact]
    public void UseQueue_Twice_FailsNamingBothQueues()
    {
        var services = new ServiceCollection();

        var error = Assert.Throws<InvalidOperationException>(() => services.AddErgate(e => e.UseInMemoryQueue().UseQueue(new MinimalJobQueue())));

        Assert.Equal("Ergate's queue is already configured as 'in-memory queue'; cannot also use 'MinimalJobQueue'. Configure one queue.", error.Message);
    }

    [Fact]
    public async Task UseQueue_SharedInstance_IsNotDisposedWithAHost()
    {
        using var queue = new InMemoryJobQueue(leaseDuration: TimeSpan.FromSeconds(1), sweepInterval: TimeSpan.FromMilliseconds(10));
        var store = new InMemoryJobStateStore();
        var services = new ServiceCollection().AddLogging();
        services.AddErgate(e => e.AddWorkflow(Single()).UseQueue(queue).UseStateStore(store));
        await using (var provider = services.BuildServiceProvider())
        {
            Assert.Same(queue, provider.GetRequiredService<IJobQueue>());
        }

        // The queue still works after the host that used it is gone: a released delivery becomes visible again.
        await queue.PutAsync(new Job("single"), CancellationToken.None);
        var delivery = await queue.ReceiveAsync(CancellationToken.None);
        await queue.ReleaseAsync(delivery, TimeSpan.FromMilliseconds(20), CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var again = await queue.ReceiveAsync(timeout.Token);
        Assert.Equal(delivery.MessageId, again.MessageId);
    }

    [Fact]
    public void Options_Defaults_AreTheDocumentedOnes()
    {
        var options = new ErgateOptions();

        Assert.Equal(5, options.BackendRetryAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.BackendRetryBaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(5), options.BackendRetryMaxDelay);
        Assert.Null(options.RequeueAfter);
        Assert.Equal(1, options.WorkerConcurrency);
        Assert.Same(ErgateJson.DefaultOptions, options.SerializerOptions);
    }

    private static Workflow Single()
    {
        var workflow = new Workflow("single");
        workflow.Step("one", (int x) => x);
        return workflow;
    }
}
