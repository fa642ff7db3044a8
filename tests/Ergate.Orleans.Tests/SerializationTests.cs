using System.Text.Json;
using Ergate.Orleans.Grains;
using Ergate.Orleans.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Ergate.Orleans.Tests;

/// <summary>
/// Jobs ride in grain calls as objects; a call on the same silo passes them as they are, so only a call to another
/// silo runs the surrogate. These check that path directly with the silo's own serializer.
/// </summary>
public sealed class SerializationTests
{
    [Fact]
    public async Task DeliveryAndCreateRequests_RoundTripTheirJob_ThroughTheSiloSerializer()
    {
        await using var cluster = await ErgateCluster.StartAsync(1, e => e.AddWorkflow(Workflows.Counter(2)));
        var serializer = cluster.Cluster.Silos[0].ServiceProvider.GetRequiredService<Serializer>();
        var job = JobJson.Deserialize("""{"id": [1, "a"], "workflow_name": "counter", "status": 2, "current_step": 1, "steps_completed": 1, "percent_completed": 50.0, "initial_input_value": 0, "last_return_value": {"v": [1, 2]}, "user_context": "caf\u00e9", "ergate_key": "null:m1", "ergate_step": "s2", "extra": true}"""u8.ToArray());
        var expected = JsonElement.Parse(JobJson.SerializeToString(job));

        var delivery = serializer.Deserialize<DeliveryRequest>(serializer.SerializeToArray(new DeliveryRequest("key", job, "7:lease")))!;
        var created = serializer.Deserialize<CreateJobRequest>(serializer.SerializeToArray(new CreateJobRequest(job, DateTimeOffset.UnixEpoch)))!;

        Assert.Equal("key", delivery.Key);
        Assert.Equal("7:lease", delivery.DeliveryId);
        Assert.NotSame(job, delivery.Job);
        Assert.True(JsonElement.DeepEquals(expected, JsonElement.Parse(JobJson.SerializeToString(delivery.Job))), JobJson.SerializeToString(delivery.Job));
        Assert.True(JsonElement.DeepEquals(expected, JsonElement.Parse(JobJson.SerializeToString(created.Job))), JobJson.SerializeToString(created.Job));
        Assert.Equal(DateTimeOffset.UnixEpoch, created.NotBefore);
    }

    [Fact]
    public async Task DeliveryResult_CarriesWhetherTheGrainSettledIt_ThroughTheSiloSerializer()
    {
        await using var cluster = await ErgateCluster.StartAsync(1, e => e.AddWorkflow(Workflows.Counter(2)));
        var serializer = cluster.Cluster.Silos[0].ServiceProvider.GetRequiredService<Serializer>();
        var result = new DeliveryResult(DeliveryOutcome.Processed, new Job("counter"), Settled: true);

        var copy = serializer.Deserialize<DeliveryResult>(serializer.SerializeToArray(result));

        Assert.Equal(new DeliveryResult(DeliveryOutcome.Processed, null, Settled: true), copy);
    }

    [Fact]
    public async Task DeliveryResult_CarriesOutcomeAndReleaseDelay_NotTheJob_ThroughTheSiloSerializer()
    {
        await using var cluster = await ErgateCluster.StartAsync(1, e => e.AddWorkflow(Workflows.Counter(2)));
        var serializer = cluster.Cluster.Silos[0].ServiceProvider.GetRequiredService<Serializer>();
        var job = new Job("counter") { Id = JsonValues.From("j") };
        var result = new DeliveryResult(DeliveryOutcome.Released, job, TimeSpan.FromSeconds(42), job);

        var copy = serializer.Deserialize<DeliveryResult>(serializer.SerializeToArray(result));
        var deepCopy = cluster.Cluster.Silos[0].ServiceProvider.GetRequiredService<DeepCopier>().Copy(result);

        Assert.Equal(new DeliveryResult(DeliveryOutcome.Released, null, TimeSpan.FromSeconds(42)), copy);
        Assert.Equal(DeliveryOutcome.Released, deepCopy.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(42), deepCopy.ReleaseAfter);
    }
}
