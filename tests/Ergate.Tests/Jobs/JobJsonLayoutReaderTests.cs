using System.Text;
using System.Text.Json;

namespace Ergate.Tests.Jobs;

// The layout reader may only give up or agree with JobJsonReader: these tests hold it to that on our own output, on
// what other producers write, and on thousands of corruptions of both.
public sealed class JobJsonLayoutReaderTests
{
    private static readonly string[] Values =
    [
        "null", "0", "-1", "17", "2.5", "-0.25e-3", "1E+9", "true", "false", "\"\"", "\"text\"", "\"ünï ✓ 🎉\"",
        "{}", "[]", "{\"a\":[1,{\"b\":null}],\"c\":\"d\"}", "[1,\"two\",[3]]", "\"with \\\"escape\\\"\"",
    ];

    public static TheoryData<string> Samples()
    {
        var data = new TheoryData<string>();
        foreach (var json in SampleJobs())
        {
            data.Add(json);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void OurOwnOutput_IsReadInLayout_AsTheGeneralReaderReadsIt(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);

        var fast = JobJsonLayoutReader.TryRead(bytes);

        if (json.Contains('\\'))
        {
            // Escaped text is left to the general reader.
            Assert.Null(fast);
            return;
        }

        Assert.NotNull(fast);
        Assert.Equal(Describe(JobJsonReader.Read(bytes)), Describe(fast));

        // Kept as the job's JSON only while every string is plain ASCII, which the writer never escapes.
        Assert.Equal(json.All(c => c is >= ' ' and <= '~') ? bytes : null, fast.CachedJson);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void AStatusChange_WritesTheReadTextWithTheNewDigit_AsTheWriterWould(string json)
    {
        var job = JobJsonLayoutReader.TryRead(Encoding.UTF8.GetBytes(json));
        if (job is null)
        {
            return;
        }

        foreach (var status in Enum.GetValues<JobStatus>())
        {
            job.Status = status;
            var patched = JobJson.SerializeTransient(job).ToArray();
            var copy = job.Clone();
            copy.CurrentStep = copy.CurrentStep; // any other change drops the read text
            Assert.Null(copy.CachedJson);
            Assert.Equal(Encoding.UTF8.GetString(JobJson.SerializeToUtf8Bytes(copy)), Encoding.UTF8.GetString(patched));
            Assert.Equal(patched, JobJson.SerializeToUtf8Bytes(job.Clone()));
        }
    }

    [Fact]
    public void AStatusThatIsNotOneDigit_IsWrittenByTheConverter_NotPatched()
    {
        var job = JobJsonLayoutReader.TryRead(JobJson.SerializeToUtf8Bytes(new Job("w") { Id = JsonValues.From("a") }))!;

        job.Status = (JobStatus)10;

        Assert.Contains("\"status\":10,", JobJson.SerializeToString(job), StringComparison.Ordinal);
        Assert.Contains("\"status\":10,", Encoding.UTF8.GetString(JobJson.SerializeTransient(job)), StringComparison.Ordinal);
    }

    [Fact]
    public void ChangingAnythingButTheStatus_DropsTheReadText()
    {
        var bytes = JobJson.SerializeToUtf8Bytes(new Job("w") { Id = JsonValues.From("a"), ErgateStep = "s" });
        var changes = new Action<Job>[]
        {
            j => j.CurrentStep = 1, j => j.StepsCompleted = 1, j => j.PercentCompleted = 50, j => j.WorkflowName = "v",
            j => j.Error = "e", j => j.ErgateKey = "k", j => j.ErgateStep = null, j => j.RequestedStartTime = "2030-01-01T00:00:00Z",
            j => j.LastReturnValue = JsonValues.From(1), j => j.InitialInputValue = JsonValues.From(1), j => j.UserContext = JsonValues.From(1),
            j => j.Id = JsonValues.From("b"), j => j.ExtensionData = new Dictionary<string, JsonElement>(),
        };

        foreach (var change in changes)
        {
            var job = JobJsonLayoutReader.TryRead(bytes)!;
            job.Status = JobStatus.Running;
            change(job);

            Assert.Null(job.CachedJson);
            Assert.False(job.TryGetReadJson(out _, out _));
        }
    }

    [Theory]
    [InlineData("""{"id": "a","workflow_name":"w","status":2,"current_step":0,"steps_completed":0,"percent_completed":0.0,"initial_input_value":null,"last_return_value":null,"user_context":null,"requested_start_time":null}""")]
    [InlineData("""{"workflow_name":"w","id":"a","status":2,"current_step":0,"steps_completed":0,"percent_completed":0.0,"initial_input_value":null,"last_return_value":null,"user_context":null,"requested_start_time":null}""")]
    [InlineData("""{"id":"a","workflow_name":"w","status":2,"current_step":0,"steps_completed":0,"percent_completed":0.0,"initial_input_value":null,"last_return_value":null,"user_context":null,"requested_start_time":null,"other":1}""")]
    [InlineData("""{"id":"a","workflow_name":"w","status":2.0,"current_step":0,"steps_completed":0,"percent_completed":0.0,"initial_input_value":null,"last_return_value":null,"user_context":null,"requested_start_time":null}""")]
    [InlineData("""{"id":"a","workflow_name":"w","status":2,"current_step":01,"steps_completed":0,"percent_completed":0.0,"initial_input_value":null,"last_return_value":null,"user_context":null,"requested_start_time":null}""")]
    [InlineData("""{"id":"a","workflow_name":"w","status":2,"current_step":0,"steps_completed":3.0,"percent_completed":0.0,"initial_input_value":null,"last_return_value":null,"user_context":null,"requested_start_time":null}""")]
    [InlineData("""{"id":"a","workflow_name":"w","status":2,"current_step":0,"steps_completed":0,"percent_completed":0.0,"initial_input_value":null,"last_return_value":null,"user_context":null,"requested_start_time":"2030-01-01T00:00:00Z"}""")]
    [InlineData("""{"id":"a","workflow_name":"w","status":2,"current_step":0,"steps_completed":0,"percent_completed":0.0,"initial_input_value":null,"last_return_value":null,"user_context":null,"requested_start_time":null,"error":null}""")]
    [InlineData("""{"id":"a","workflow_name":"w","status":2,"current_step":0,"steps_completed":0,"percent_completed":0.0,"initial_input_value":null,"last_return_value":null,"user_context":null,"requested_start_time":null} """)]
    [InlineData("""{"id":"a","workflow_name":"w\u0041","status":2,"current_step":0,"steps_completed":0,"percent_completed":0.0,"initial_input_value":null,"last_return_value":null,"user_context":null,"requested_start_time":null}""")]
    public void AnotherLayout_IsLeftToTheGeneralReader(string json)
    {
        Assert.Null(JobJsonLayoutReader.TryRead(Encoding.UTF8.GetBytes(json)));
    }

    [Theory]
    [InlineData("0.0", true)]
    [InlineData("50.0", true)]
    [InlineData("100.0", true)]
    [InlineData("33.333333333333336", true)]
    [InlineData("40.05", true)]
    [InlineData("1.0e1", false)]
    [InlineData("50", false)]
    [InlineData("50.00", false)]
    [InlineData("5E1", false)]
    [InlineData("-0.0", false)]
    [InlineData("33.3333333333333360", false)]
    public void APercentageWrittenOtherwise_IsRead_ButItsTextIsNotKept(string percent, bool kept)
    {
        var bytes = Encoding.UTF8.GetBytes($$"""{"id":"a","workflow_name":"w","status":2,"current_step":0,"steps_completed":0,"percent_completed":{{percent}},"initial_input_value":null,"last_return_value":null,"user_context":null,"requested_start_time":null}""");

        var job = JobJsonLayoutReader.TryRead(bytes);

        Assert.NotNull(job);
        Assert.Equal(JobJsonReader.Read(bytes).PercentCompleted, job.PercentCompleted);
        Assert.Equal(kept, job.CachedJson is not null);
    }

    [Theory]
    [InlineData(62)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    public void DeeplyNestedValues_AreAcceptedExactlyWhenTheGeneralReaderAcceptsThem(int depth)
    {
        var value = new string('[', depth) + new string(']', depth);
        var bytes = Encoding.UTF8.GetBytes($$"""{"id":"a","workflow_name":"w","status":2,"current_step":0,"steps_completed":0,"percent_completed":0.0,"initial_input_value":{{value}},"last_return_value":null,"user_context":null,"requested_start_time":null}""");

        AssertAgrees(bytes);
    }

    [Fact]
    public void CorruptedJobs_AreNeverAcceptedWhereTheGeneralReaderRejectsThem_NorReadDifferently()
    {
        var random = new Random(20261206);
        var samples = SampleJobs().Select(Encoding.UTF8.GetBytes).ToArray();
        ReadOnlySpan<byte> replacements = "{}[]\",:\\ 0123456789.-+eEtrufalsn\u0001x"u8;
        var accepted = 0;
        for (var i = 0; i < 30_000; i++)
        {
            var bytes = samples[random.Next(samples.Length)].ToList();
            for (var edits = random.Next(1, 3); edits > 0; edits--)
            {
                var at = random.Next(bytes.Count);
                switch (random.Next(3))
                {
                    case 0:
                        bytes[at] = replacements[random.Next(replacements.Length)];
                        break;
                    case 1:
                        bytes.RemoveAt(at);
                        break;
                    default:
                        bytes.Insert(at, replacements[random.Next(replacements.Length)]);
                        break;
                }
            }

            accepted += AssertAgrees([.. bytes]) ? 1 : 0;
        }

        // The corruptions that keep the layout (a changed digit, say) must have been read, or this tested nothing.
        Assert.InRange(accepted, 500, 30_000);
    }

    // Whatever the layout reader returns, the general reader returns the same job; returns whether it read one.
    private static bool AssertAgrees(byte[] bytes)
    {
        string? expected;
        try
        {
            expected = Describe(JobJson.Deserialize(bytes));
        }
        catch (InvalidJobDataException)
        {
            expected = null;
        }

        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return false;
        }

        var fast = JobJsonLayoutReader.TryRead(bytes);
        if (fast is null)
        {
            return false;
        }

        Assert.True(expected is not null, $"The layout reader read what the general reader rejects: {Encoding.UTF8.GetString(bytes)}");
        Assert.Equal(expected, Describe(fast));
        if (fast.CachedJson is not null)
        {
            var copy = fast.Clone();
            copy.CurrentStep = copy.CurrentStep;
            Assert.Equal(Encoding.UTF8.GetString(bytes), Encoding.UTF8.GetString(JobJson.SerializeToUtf8Bytes(copy)));
        }

        return true;
    }

    private static IEnumerable<string> SampleJobs()
    {
        var random = new Random(7);
        var percents = new[] { 0.0, 100.0, 50.0, 33.333333333333336, 66.66666666666667, 12.5, 1e-7 };
        for (var i = 0; i < 60; i++)
        {
            // Names the writer writes as they are, and some it escapes (outside the BMP, U+2028, DEL).
            var name = i % 5 == 0 ? "wörk flow" : i % 7 == 3 ? "emoji 😀" : i % 11 == 4 ? "line\u2028sep" : i % 13 == 5 ? "del\u007f" : "orders";
            var job = new Job(name)
            {
                Status = (JobStatus)random.Next(1, 10),
                CurrentStep = random.Next(0, 3) == 0 ? random.Next() : random.Next(0, 12),
                StepsCompleted = random.Next(0, 12),
                PercentCompleted = percents[random.Next(percents.Length)],
                Id = Parse(Values[random.Next(1, Values.Length)]),
                InitialInputValue = Parse(Values[random.Next(Values.Length)]),
                LastReturnValue = Parse(Values[random.Next(Values.Length)]),
                UserContext = Parse(Values[random.Next(Values.Length)]),
            };
            if (i % 3 == 0)
            {
                job.ErgateStep = "step_" + i;
            }

            if (i % 7 == 0)
            {
                job.Error = i % 2 == 0 ? "InvalidOperationException: no ✓" : "KeyError: 🎉";
            }

            if (i % 11 == 0)
            {
                job.ErgateKey = "null:" + i;
            }

            yield return JobJson.SerializeToString(job);
        }
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    // Every field, as text, so two jobs compare field by field (the values by their exact text).
    private static string Describe(Job job) => string.Join(
        " | ",
        job.WorkflowName,
        job.Status,
        job.CurrentStep,
        job.StepsCompleted,
        BitConverter.DoubleToInt64Bits(job.PercentCompleted),
        Encoding.UTF8.GetString(job.IdValue.Utf8),
        Encoding.UTF8.GetString(job.InitialInput.Utf8),
        Encoding.UTF8.GetString(job.LastReturn.Utf8),
        Encoding.UTF8.GetString(job.Context.Utf8),
        job.RequestedStartTime ?? "-",
        job.Error ?? "-",
        job.ErgateKey ?? "-",
        job.ErgateStep ?? "-",
        job.ExtensionData is null ? "-" : string.Join(",", job.ExtensionData.Select(p => p.Key + "=" + p.Value.GetRawText())));
}
