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
            if (field.Name == "_extensionData")
            {
                Assert.NotSame(original, copied);
                Assert.Equal((IDictionary<string, JsonElement>)original!, (IDictionary<string, JsonElement>)copied!);
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
}
