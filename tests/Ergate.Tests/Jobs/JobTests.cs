using System.Reflection;
using System.Text.Json;

namespace Ergate.Tests.Jobs;

public sealed class JobTests
{
    [Fact]
    public void Clone_EveryFieldSet_CopiesEveryField()
    {
        var job = new Job("w")
        {
            Id = JsonValues.From("a"),
            Status = JobStatus.Running,
            CurrentStep = 2,
            StepsCompleted = 3,
            PercentCompleted = 40.5,
            InitialInputValue = JsonValues.From(1),
            LastReturnValue = JsonValues.From(2),
            UserContext = JsonValues.From(3),
            RequestedStartTime = "2024-01-01T00:00:00",
            Error = "e",
            ErgateKey = "k",
            ErgateStep = "s",
            ExtensionData = new Dictionary<string, JsonElement> { ["x"] = JsonValues.From(4) },
        };
        JobJson.SerializeToUtf8Bytes(job);

        var copy = job.Clone();

        // Compared field by field, so a field added to Job and forgotten by Clone fails here.
        foreach (var field in typeof(Job).GetFields(BindingFlags.Instance | BindingFlags.NonPublic))
        {
            var original = field.GetValue(job);
            var copied = field.GetValue(copy);
            if (field.Name == "_rare")
            {
                // The rarely set fields, shared between copies except the extension data's dictionary, which is copied.
                Assert.Equal(job.RequestedStartTime, copy.RequestedStartTime);
                Assert.Equal(job.Error, copy.Error);
                Assert.Equal(job.ErgateKey, copy.ErgateKey);
                Assert.NotSame(job.ExtensionData, copy.ExtensionData);
                Assert.Equal(job.ExtensionData!, copy.ExtensionData!);
            }
            else
            {
                Assert.True(Equals(original, copied), $"Clone did not copy {field.Name}.");
            }
        }
    }

    [Fact]
    public void Clone_CopyChanged_OriginalKeepsItsStateAndJson()
    {
        var job = new Job("w") { Id = JsonValues.From(1) };
        var json = JobJson.SerializeToString(job);

        var copy = job.Clone();
        copy.Status = JobStatus.Failed;
        copy.ExtensionData = new Dictionary<string, JsonElement>();

        Assert.Equal(JobStatus.Queued, job.Status);
        Assert.Null(job.ExtensionData);
        Assert.Equal(json, JobJson.SerializeToString(job));
    }

    [Fact]
    public void Clone_CopysRareFieldsChanged_OriginalKeepsItsOwn()
    {
        var job = new Job("w")
        {
            RequestedStartTime = "2024-01-01T00:00:00",
            Error = "e",
            ErgateKey = "k",
            ExtensionData = new Dictionary<string, JsonElement> { ["x"] = JsonValues.From(4) },
        };
        var json = JobJson.SerializeToString(job);

        var copy = job.Clone();
        copy.RequestedStartTime = null;
        copy.Error = "changed";
        copy.ErgateKey = null;
        copy.ExtensionData!["y"] = JsonValues.From(5);

        Assert.Equal("2024-01-01T00:00:00", job.RequestedStartTime);
        Assert.Equal("e", job.Error);
        Assert.Equal("k", job.ErgateKey);
        Assert.Equal(["x"], job.ExtensionData!.Keys);
        Assert.Equal(json, JobJson.SerializeToString(job));
        Assert.Equal("changed", copy.Error);
    }

    [Fact]
    public void RareField_Set_InvalidatesTheCachedJson()
    {
        var job = new Job("w");
        var before = JobJson.SerializeToUtf8Bytes(job);

        job.Error = "boom";

        Assert.NotSame(before, JobJson.SerializeToUtf8Bytes(job));
        Assert.Contains("\"error\":\"boom\"", JobJson.SerializeToString(job), StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_RareFieldsNull_JobHoldsNoRareRecord()
    {
        // requested_start_time is in every job's JSON, mostly null; reading it must not give every job the side record.
        var job = JobJson.Deserialize("""{"id":1,"workflow_name":"w","status":2,"current_step":0,"steps_completed":0,"percent_completed":0.0,"initial_input_value":null,"last_return_value":null,"user_context":null,"requested_start_time":null,"error":null}""");
        job.ErgateKey = null;

        Assert.Null(typeof(Job).GetField("_rare", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(job));
    }
}
