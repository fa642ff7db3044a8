using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Ergate.Tests.Jobs;

// The layout writer may only give up or write exactly what the converter writes.
public sealed class JobJsonLayoutWriterTests
{
    private static readonly string AllPlainAscii = new([.. Enumerable.Range(0x20, 0x7F - 0x20).Select(c => (char)c).Where(c => c is not '"' and not '\\')]);

    private static readonly string[] Values =
    [
        "null", "0", "-1", "17", "2.5", "-0.25e-3", "1E+9", "true", "false", "\"\"", "\"text\"", "\"ünï ✓ 🎉\"",
        "{}", "[]", "{\"a\":[1,{\"b\":null}],\"c\":\"d\"}", "[1,\"two\",[3]]", "\"with \\\"escape\\\"\"", "{ \"spaced\" : [ 1 , 2 ] }",
    ];

    private static readonly string?[] Texts =
    [
        null, string.Empty, "orders", AllPlainAscii, "with \"quote\"", "back\\slash", "wörk flow", "emoji 😀", "line\u2028sep",
        "del\u007f", "tab\there", "<html>&'+`",
    ];

    private static readonly string[] StartTimes = ["2026-12-06T10:00:00Z", "2026-12-06T10:00:00.125+01:00", "2026-12-06T10:00:00"];

    [Fact]
    public void CommonJob_ReadFromText_IsWrittenByTheLayoutWriter()
    {
        var job = JobJson.Deserialize(Encoding.UTF8.GetBytes(
            "{\"id\":\"a1\",\"workflow_name\":\"orders\",\"status\":2,\"current_step\":1,\"steps_completed\":1,\"percent_completed\":20.0,"
            + "\"initial_input_value\":0,\"last_return_value\":1,\"user_context\":null,\"requested_start_time\":null}"));
        job.CurrentStep = 2;
        job.StepsCompleted = 2;
        job.PercentCompleted = 40.0;

        AssertWritesAsConverter(job, expectLayout: true);
    }

    [Fact]
    public void RandomJobs_ReadFromText_AreWrittenAsTheConverterWrites()
    {
        var random = new Random(11);
        var written = 0;
        for (var i = 0; i < 3000; i++)
        {
            var source = NewJob(random);
            var job = JobJson.Deserialize(Encoding.UTF8.GetBytes(WriteWithConverter(source)));
            job.CurrentStep = random.Next(-3, 50);
            if (AssertWritesAsConverter(job, expectLayout: null))
            {
                written++;
            }
        }

        // Enough of them are plain for the layout writer (a few hundred); the rest were checked to fall back.
        Assert.InRange(written, 150, 3000);
    }

    [Fact]
    public void RandomJobs_BuiltFromElements_AreWrittenAsTheConverterWrites()
    {
        var random = new Random(13);
        var written = 0;
        for (var i = 0; i < 3000; i++)
        {
            if (AssertWritesAsConverter(NewJob(random), expectLayout: null))
            {
                written++;
            }
        }

        Assert.InRange(written, 20, 3000);
    }

    [Fact]
    public void NewJob_WithScalarElements_IsWrittenByTheLayoutWriter()
    {
        var job = new Job("orders")
        {
            Id = Parse("\"0f8fad5bd9cb469fa16570867728950e\""),
            InitialInputValue = Parse("-12.5e3"),
            LastReturnValue = Parse("true"),
            UserContext = Parse("\"plain text\""),
        };

        AssertWritesAsConverter(job, expectLayout: true);
    }

    [Theory]
    [InlineData("\"with \\\"escape\\\"\"")]
    [InlineData("\"\\u00e9\"")]
    [InlineData("\"ünï\"")]
    [InlineData("[1,2]")]
    [InlineData("{}")]
    public void NewJob_WithAnElementTheWriterWritesAnew_IsLeftToTheConverter(string value)
    {
        var job = new Job("orders") { Id = Parse("1"), InitialInputValue = Parse(value) };

        AssertWritesAsConverter(job, expectLayout: false);
    }

    [Theory]
    [InlineData(int.MinValue)]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(int.MaxValue)]
    public void Counters_AtTheirLimits_AreWrittenAsTheConverterWrites(int value)
    {
        var job = ReadCommonJob();
        job.CurrentStep = value;
        job.StepsCompleted = value;

        AssertWritesAsConverter(job, expectLayout: true);
    }

    // A whole percentage below 1e15 is written by the layout writer; any other is left to the converter.
    [Theory]
    [InlineData(0.0, true)]
    [InlineData(100.0, true)]
    [InlineData(-5.0, true)]
    [InlineData(1e14, true)]
    [InlineData(33.333333333333336, false)]
    [InlineData(1e-7, false)]
    [InlineData(1e15, false)]
    public void Percentage_IsWrittenAsTheConverterWrites_ByTheLayoutWriterOnlyWhenWhole(double percent, bool whole)
    {
        var job = ReadCommonJob();
        job.PercentCompleted = percent;

        AssertWritesAsConverter(job, expectLayout: whole);
    }

    [Fact]
    public void ValueSetAsAnElement_IsLeftToTheConverter()
    {
        var job = ReadCommonJob();
        job.LastReturnValue = JsonDocument.Parse("{ \"spaced\" : [ 1 , 2 ] }").RootElement;

        AssertWritesAsConverter(job, expectLayout: false);
    }

    [Fact]
    public void NullWorkflowName_IsLeftToTheConverter()
    {
        var job = ReadCommonJob();
        job.WorkflowName = null!;

        AssertWritesAsConverter(job, expectLayout: false);
        Assert.Contains("\"workflow_name\":null", JobJson.SerializeToString(job), StringComparison.Ordinal);
    }

    [Fact]
    public void ExtensionData_IsLeftToTheConverter()
    {
        var job = ReadCommonJob();
        job.ExtensionData = new Dictionary<string, JsonElement> { ["extra"] = JsonDocument.Parse("1").RootElement };

        AssertWritesAsConverter(job, expectLayout: false);
    }

    [Theory]
    [InlineData("with \"quote\"")]
    [InlineData("back\\slash")]
    [InlineData("wörk flow")]
    [InlineData("tab\there")]
    [InlineData("del\u007f")]
    public void StringThatIsNotPlainAscii_IsLeftToTheConverter(string text)
    {
        var job = ReadCommonJob();
        job.Error = text;

        AssertWritesAsConverter(job, expectLayout: false);
    }

    [Fact]
    public void EveryPlainAsciiCharacter_IsWrittenAsTheConverterWrites()
    {
        var job = new Job(AllPlainAscii) { Error = AllPlainAscii, ErgateKey = AllPlainAscii, ErgateStep = AllPlainAscii, RequestedStartTime = AllPlainAscii };

        AssertWritesAsConverter(job, expectLayout: true);
    }

    [Fact]
    public void SerializeToUtf8Bytes_UsesTheLayoutWriter_AndMatchesTheConverter()
    {
        var job = ReadCommonJob();
        job.StepsCompleted = 3;

        Assert.Equal(WriteWithConverter(job), Encoding.UTF8.GetString(JobJson.SerializeToUtf8Bytes(job)));
    }

    private static Job ReadCommonJob() => JobJson.Deserialize(Encoding.UTF8.GetBytes(
        "{\"id\":\"a1\",\"workflow_name\":\"orders\",\"status\":2,\"current_step\":1,\"steps_completed\":1,\"percent_completed\":20.0,"
        + "\"initial_input_value\":{\"n\":[1,2]},\"last_return_value\":\"x\",\"user_context\":null,\"requested_start_time\":null}"));

    private static Job NewJob(Random random)
    {
        var job = new Job(Texts[random.Next(1, Texts.Length)]!)
        {
            Status = (JobStatus)random.Next(1, 10),
            CurrentStep = random.Next(0, 12),
            StepsCompleted = random.Next(0, 12),
            PercentCompleted = random.Next(3) == 0 ? random.NextDouble() * 100 : random.Next(0, 101),
            Id = Parse(Values[random.Next(1, Values.Length)]),
            InitialInputValue = Parse(Values[random.Next(Values.Length)]),
            LastReturnValue = Parse(Values[random.Next(Values.Length)]),
            UserContext = Parse(Values[random.Next(Values.Length)]),
            ErgateStep = Texts[random.Next(Texts.Length)],
            Error = random.Next(4) == 0 ? Texts[random.Next(Texts.Length)] : null,
            ErgateKey = random.Next(4) == 0 ? Texts[random.Next(Texts.Length)] : null,
            RequestedStartTime = random.Next(4) == 0 ? StartTimes[random.Next(StartTimes.Length)] : null,
        };
        return job;
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static string WriteWithConverter(Job job)
    {
        var buffer = new ArrayBufferWriter<byte>();
        JobJson.Write(job, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // Returns whether the layout writer wrote the job; `expectLayout` null accepts either.
    private static bool AssertWritesAsConverter(Job job, bool? expectLayout)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var wrote = JobJsonLayoutWriter.TryWrite(job, buffer);
        if (expectLayout is { } expected)
        {
            Assert.Equal(expected, wrote);
        }

        if (wrote)
        {
            Assert.Equal(WriteWithConverter(job), Encoding.UTF8.GetString(buffer.WrittenSpan));
        }
        else
        {
            Assert.Equal(0, buffer.WrittenCount);
        }

        return wrote;
    }
}
