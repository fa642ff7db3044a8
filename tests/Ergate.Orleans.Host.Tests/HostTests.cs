using Ergate.Orleans.Host.Samples;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans;

namespace Ergate.Orleans.Host.Tests;

public sealed class HostTests : IDisposable
{
    private readonly string _database = HostFixture.TempDatabase();

    public void Dispose() => HostFixture.Delete(_database);

    [Fact]
    public async Task Host_RepositoryAppsettings_ServesTheSampleWorkflowsOnSqlite()
    {
        using var host = HostFixture.Build(_database);
        await host.StartAsync();
        var client = host.Services.GetRequiredService<IGrainFactory>().GetErgateClient();

        var ids = new[]
        {
            await client.SubmitAsync(SampleWorkflows.Sequential, input: 1),
            await client.SubmitAsync(SampleWorkflows.Branching, input: 3),
            await client.SubmitAsync(SampleWorkflows.Greeting, input: 0, userContext: new Customer("Ada", "es")),
            await client.SubmitAsync(SampleWorkflows.Aborting, input: 5),
            await client.SubmitAsync(SampleWorkflows.Failing, input: 5),
        };
        var finals = await WaitForFinalAsync(client, ids);
        await host.StopAsync();

        Assert.Equal(7, finals[0].LastReturnValue.GetInt32());
        Assert.Equal(1003, finals[1].LastReturnValue.GetInt32());
        Assert.Equal("¡HOLA, ADA!", finals[2].LastReturnValue.GetString());
        Assert.Equal(JobStatus.Aborted, finals[3].Status);
        Assert.Equal(JobStatus.Failed, finals[4].Status);
        Assert.Equal("InvalidOperationException: the sample step failed, as it always does", finals[4].Error);
        Assert.True(File.Exists(_database));
    }

    [Theory]
    [InlineData("Ergate:Silo:PumpLoops", "0", "PumpLoops")]
    [InlineData("Ergate:BackendRetryAttempts", "0", "BackendRetryAttempts")]
    [InlineData("Ergate:Queue:LeaseDuration", "-00:00:01", "LeaseDuration")]
    public async Task Host_InvalidSetting_StopsAtStart(string key, string value, string named)
    {
        using var host = HostFixture.Build(_database, new Dictionary<string, string?> { [key] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void Host_UnknownProviderType_FailsNamingTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            HostFixture.Build(_database, new Dictionary<string, string?> { ["Ergate:Queue:ProviderType"] = "Carrier pigeon" }));

        Assert.Equal("Ergate:Queue:ProviderType is 'Carrier pigeon', which is not a known provider; use 'Sqlite' or 'InMemory'.", error.Message);
    }

    [Fact]
    public async Task Host_RestartMidRun_EveryJobCompletesAndScheduledJobStartsOnTime()
    {
        DateTimeOffset? scheduledRanAt = null;
        var slow = new Workflow("slow_counter");
        for (var s = 0; s < 3; s++)
        {
            slow.Step($"step_{s}", async (int x) =>
            {
                await Task.Delay(5);
                return x + 1;
            });
        }

        var timed = new Workflow("timed");
        timed.Step("run", (int x) =>
        {
            scheduledRanAt = TimeProvider.System.GetUtcNow();
            return x;
        });

        void Register(IErgateBuilder ergate) => ergate.AddWorkflow(slow).AddWorkflow(timed);
        var first = HostFixture.Build(_database, configureErgate: Register);
        await first.StartAsync();
        var client = first.Services.GetRequiredService<IGrainFactory>().GetErgateClient();
        var ids = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            ids.Add(await client.SubmitAsync("slow_counter", input: i * 10));
        }

        var startAt = TimeProvider.System.GetUtcNow().AddSeconds(4);
        var scheduled = await client.SubmitAsync("timed", input: 1, requestedStartTime: startAt);
        await first.StopAsync();
        first.Dispose();

        using var second = HostFixture.Build(_database, configureErgate: Register);
        await second.StartAsync();
        client = second.Services.GetRequiredService<IGrainFactory>().GetErgateClient();
        var finals = await WaitForFinalAsync(client, [.. ids, scheduled]);
        await second.StopAsync();

        Assert.All(ids.Select((id, i) => (finals[i], i)), pair => Assert.Equal((pair.i * 10) + 3, pair.Item1.LastReturnValue.GetInt32()));
        Assert.Equal(JobStatus.Completed, finals[^1].Status);
        Assert.NotNull(scheduledRanAt);
        Assert.True(scheduledRanAt >= startAt, $"the scheduled job ran at {scheduledRanAt:O}, before its start time {startAt:O}");
    }

    private static async Task<Job[]> WaitForFinalAsync(IJobClient client, IReadOnlyList<string> ids)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var finals = new Job?[ids.Count];
        while (finals.Any(f => f is null))
        {
            for (var i = 0; i < ids.Count; i++)
            {
                if (finals[i] is null && await client.GetAsync(ids[i], timeout.Token) is { IsFinal: true } snapshot)
                {
                    finals[i] = snapshot.ToJob();
                }
            }

            await Task.Delay(50, timeout.Token);
        }

        return finals!;
    }
}
