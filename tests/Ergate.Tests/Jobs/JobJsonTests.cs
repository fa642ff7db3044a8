using System.Text;
using System.Text.Json;
using Ergate.Tests.TestSupport;

namespace Ergate.Tests.Jobs;

public sealed class JobJsonTests
{
    // Python Ergate's pydantic Job.model_dump_json(): compact, keys in field order, float percentage.
    private const string PythonCompact =
        """{"id":"a","workflow_name":"w","status":2,"current_step":0,"steps_completed":0,"percent_completed":0.0,"initial_input_value":{"x":[1,2]},"last_return_value":null,"user_context":null,"requested_start_time":null}""";

    // The same job as json.dumps(job.model_dump(mode="json")) writes it: a space after every separator.
    private const string PythonSpaced =
        """{"id": "a", "workflow_name": "w", "status": 2, "current_step": 0, "steps_completed": 0, "percent_completed": 0.0, "initial_input_value": {"x": [1, 2]}, "last_return_value": null, "user_context": null, "requested_start_time": null}""";

    // A job part-way through a three-step workflow, every field set, as json.dumps writes it.
    private const string PythonRunning =
        """{"id": {"order": 17, "tags": ["a", "b"]}, "workflow_name": "orders", "status": 3, "current_step": 1, "steps_completed": 1, "percent_completed": 33.333333333333336, "initial_input_value": [1, 2.5, "three", true, null], "last_return_value": {"total": 12.75, "items": []}, "user_context": {"tenant": "acme", "nested": {"deep": [1, {"k": "v"}]}}, "requested_start_time": "2030-01-01T09:30:00.123456Z"}""";

    public static TheoryData<string> PythonJobs => new() { PythonCompact, PythonSpaced, PythonRunning };

    [Theory]
    [InlineData(PythonCompact)]
    [InlineData(PythonSpaced)]
    public void Deserialize_PythonJob_ReadsEveryField(string json)
    {
        var job = JobJson.Deserialize(json);

        Assert.Equal(JsonValueKind.String, job.Id.ValueKind);
        Assert.Equal("a", job.Id.GetString());
        Assert.Equal("w", job.WorkflowName);
        Assert.Equal(JobStatus.Queued, job.Status);
        Assert.Equal(0, job.CurrentStep);
        Assert.Equal(0, job.StepsCompleted);
        Assert.Equal(0.0, job.PercentCompleted);
        JsonAssert.ValueEqual("""{"x":[1,2]}""", job.InitialInputValue);
        Assert.Equal(JsonValueKind.Null, job.LastReturnValue.ValueKind);
        Assert.Equal(JsonValueKind.Null, job.UserContext.ValueKind);
        Assert.Null(job.RequestedStartTime);
        Assert.Null(job.Error);
        Assert.Null(job.ErgateKey);
        Assert.True(job.ExtensionData is null || job.ExtensionData.Count == 0);
    }

    [Fact]
    public void Deserialize_PythonRunningJob_ReadsEveryField()
    {
        var job = JobJson.Deserialize(PythonRunning);

        JsonAssert.ValueEqual("""{"tags":["a","b"],"order":17}""", job.Id);
        Assert.Equal("orders", job.WorkflowName);
        Assert.Equal(JobStatus.Running, job.Status);
        Assert.Equal(1, job.CurrentStep);
        Assert.Equal(1, job.StepsCompleted);
        Assert.Equal(100.0 / 3.0, job.PercentCompleted);
        JsonAssert.ValueEqual("""[1,2.5,"three",true,null]""", job.InitialInputValue);
        JsonAssert.ValueEqual("""{"items":[],"total":12.75}""", job.LastReturnValue);
        JsonAssert.ValueEqual("""{"nested":{"deep":[1,{"k":"v"}]},"tenant":"acme"}""", job.UserContext);
        Assert.Equal("2030-01-01T09:30:00.123456Z", job.RequestedStartTime);
    }

    [Theory]
    [MemberData(nameof(PythonJobs))]
    public void Deserialize_SerializedPythonJob_GivesEqualFields(string json)
    {
        var first = JobJson.Deserialize(json);

        var second = JobJson.Deserialize(JobJson.SerializeToUtf8Bytes(first));

        JobAssert.Equal(first, second);
    }

    [Theory]
    [MemberData(nameof(PythonJobs))]
    public void Serialize_PythonJob_WritesSameJsonValue(string json)
    {
        var written = JobJson.SerializeToString(JobJson.Deserialize(json));

        JsonAssert.ValueEqual(json, written);
    }

    [Fact]
    public void Serialize_PythonCompactJob_WritesSameText()
    {
        // Same key order, no whitespace and 0.0 (not 0) for the percentage, as model_dump_json writes.
        Assert.Equal(PythonCompact, JobJson.SerializeToString(JobJson.Deserialize(PythonCompact)));
    }

    [Fact]
    public void Serialize_PercentWithManyDigits_KeepsShortestRoundTripText()
    {
        var job = new Job("w") { PercentCompleted = 100.0 / 3.0 };

        var json = JobJson.SerializeToString(job);

        Assert.Contains("\"percent_completed\":33.333333333333336,", json, StringComparison.Ordinal);
        Assert.Equal(100.0 / 3.0, JobJson.Deserialize(json).PercentCompleted);
    }

    [Theory]
    [InlineData(0.0, "0.0")]
    [InlineData(50.0, "50.0")]
    [InlineData(100.0, "100.0")]
    [InlineData(12.5, "12.5")]
    public void Serialize_Percent_WritesFloatLikePython(double percent, string expected)
    {
        var json = JobJson.SerializeToString(new Job("w") { PercentCompleted = percent });

        Assert.Contains($"\"percent_completed\":{expected},", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_OnlyIdAndWorkflowName_FillsDefaults()
    {
        var job = JobJson.Deserialize("""{"id": 7, "workflow_name": "w"}""");

        Assert.Equal(7, job.Id.GetInt32());
        Assert.Equal("w", job.WorkflowName);
        Assert.Equal(JobStatus.Queued, job.Status);
        Assert.Equal(0, job.CurrentStep);
        Assert.Equal(0, job.StepsCompleted);
        Assert.Equal(0.0, job.PercentCompleted);
        Assert.Equal(JsonValueKind.Null, job.InitialInputValue.ValueKind);
        Assert.Equal(JsonValueKind.Null, job.LastReturnValue.ValueKind);
        Assert.Equal(JsonValueKind.Null, job.UserContext.ValueKind);
        Assert.Null(job.RequestedStartTime);
    }

    [Fact]
    public void Deserialize_OnlyWorkflowName_HasNullId()
    {
        var job = JobJson.Deserialize("""{"workflow_name": "w"}""");

        Assert.Equal(JsonValueKind.Null, job.Id.ValueKind);
    }

    [Fact]
    public void Serialize_DefaultJob_WritesEveryPythonFieldWithDefaults()
    {
        var json = JobJson.SerializeToString(JobJson.Deserialize("""{"id": 7, "workflow_name": "w"}"""));

        Assert.Equal(
            """{"id":7,"workflow_name":"w","status":2,"current_step":0,"steps_completed":0,"percent_completed":0.0,"initial_input_value":null,"last_return_value":null,"user_context":null,"requested_start_time":null}""",
            json);
    }

    [Theory]
    [InlineData("2030-01-01T09:30:00")]
    [InlineData("2030-01-01T09:30:00Z")]
    [InlineData("2030-01-01T09:30:00+00:00")]
    [InlineData("2030-01-01T09:30:00-08:00")]
    [InlineData("2030-01-01T09:30:00.123456")]
    [InlineData("2030-01-01T09:30:00.5")]
    [InlineData("2030-01-01T09:30:00.120000+05:30")]
    [InlineData("2030-01-01T09:30:00.000001Z")]
    [InlineData("2030-01-01T09:30")]
    [InlineData("2030-01-01 09:30:00")]
    public void RoundTrip_RequestedStartTime_KeptExactlyAsWritten(string text)
    {
        var job = JobJson.Deserialize($$"""{"workflow_name": "w", "requested_start_time": "{{text}}"}""");

        var written = JobJson.SerializeToString(job);

        Assert.Equal(text, job.RequestedStartTime);
        using var document = JsonDocument.Parse(written);
        Assert.Equal(text, document.RootElement.GetProperty("requested_start_time").GetString());
        Assert.Equal(text, JobJson.Deserialize(written).RequestedStartTime);
    }

    [Fact]
    public void Serialize_RequestedStartTimeSetInCode_WrittenUnchanged()
    {
        var job = new Job("w") { RequestedStartTime = "2030-06-15T23:59:59.999999" };

        using var document = JsonDocument.Parse(JobJson.SerializeToString(job));

        Assert.Equal("2030-06-15T23:59:59.999999", document.RootElement.GetProperty("requested_start_time").GetString());
    }

    [Fact]
    public void RoundTrip_UnknownKeys_ArePreserved()
    {
        const string json =
            """{"workflow_name": "w", "priority": 5, "meta": {"b": [1, 2.5], "a": null}, "tags": ["x"], "flag": false, "note": null, "current_step": 1}""";

        var job = JobJson.Deserialize(json);
        var written = JobJson.SerializeToString(job);
        var again = JobJson.Deserialize(written);

        Assert.NotNull(job.ExtensionData);
        Assert.Equal(["flag", "meta", "note", "priority", "tags"], job.ExtensionData.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(1, job.CurrentStep);
        using var document = JsonDocument.Parse(written);
        var root = document.RootElement;
        Assert.Equal(5, root.GetProperty("priority").GetInt32());
        JsonAssert.ValueEqual("""{"a":null,"b":[1,2.5]}""", root.GetProperty("meta"));
        JsonAssert.ValueEqual("""["x"]""", root.GetProperty("tags"));
        Assert.Equal(JsonValueKind.False, root.GetProperty("flag").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("note").ValueKind);
        JobAssert.Equal(job, again);
    }

    [Fact]
    public void Serialize_ErrorAndErgateKeyUnset_OmitsThem()
    {
        var json = JobJson.SerializeToString(new Job("w"));

        using var document = JsonDocument.Parse(json);
        Assert.False(document.RootElement.TryGetProperty("error", out _));
        Assert.False(document.RootElement.TryGetProperty("ergate_key", out _));
    }

    [Fact]
    public void Serialize_ErrorAndErgateKeyNullInInput_OmitsThem()
    {
        var job = JobJson.Deserialize("""{"workflow_name": "w", "error": null, "ergate_key": null}""");

        using var document = JsonDocument.Parse(JobJson.SerializeToString(job));

        Assert.Null(job.Error);
        Assert.Null(job.ErgateKey);
        Assert.False(document.RootElement.TryGetProperty("error", out _));
        Assert.False(document.RootElement.TryGetProperty("ergate_key", out _));
    }

    [Fact]
    public void Serialize_ErrorAndErgateKeySet_WritesAndReadsThemBack()
    {
        var job = new Job("w") { Error = "InvalidOperationException: boom", ErgateKey = "null:abc" };

        var json = JobJson.SerializeToString(job);
        var again = JobJson.Deserialize(json);

        using var document = JsonDocument.Parse(json);
        Assert.Equal("InvalidOperationException: boom", document.RootElement.GetProperty("error").GetString());
        Assert.Equal("null:abc", document.RootElement.GetProperty("ergate_key").GetString());
        Assert.Equal("InvalidOperationException: boom", again.Error);
        Assert.Equal("null:abc", again.ErgateKey);
        Assert.True(again.ExtensionData is null || again.ExtensionData.Count == 0);
    }

    [Fact]
    public void Schema_InvalidJobs_AreRejected()
    {
        // Guards the helper: a validator that accepted everything would make the schema tests below vacuous.
        Assert.NotEmpty(JobSchemaValidator.Errors("""{"id": 1}"""));
        Assert.NotEmpty(JobSchemaValidator.Errors("""{"workflow_name": "w", "status": 0}"""));
        Assert.NotEmpty(JobSchemaValidator.Errors("""{"workflow_name": "w", "percent_completed": 100.5}"""));
        Assert.NotEmpty(JobSchemaValidator.Errors("""{"workflow_name": "w", "current_step": -1}"""));
        Assert.NotEmpty(JobSchemaValidator.Errors("""{"workflow_name": "w", "requested_start_time": 5}"""));
        Assert.Empty(JobSchemaValidator.Errors(PythonSpaced));
    }

    [Theory]
    [InlineData(JobStatus.Scheduled)]
    [InlineData(JobStatus.Queued)]
    [InlineData(JobStatus.Running)]
    [InlineData(JobStatus.Completed)]
    [InlineData(JobStatus.Failed)]
    [InlineData(JobStatus.Aborted)]
    [InlineData(JobStatus.Pending)]
    [InlineData(JobStatus.Cancelling)]
    [InlineData(JobStatus.Cancelled)]
    public void Serialize_EveryStatus_MatchesJobSchema(JobStatus status)
    {
        var job = new Job("w") { Id = JsonValues.Parse("\"job-1\""), Status = status, CurrentStep = 2, StepsCompleted = 2 };

        var json = JobJson.SerializeToString(job);

        JobSchemaValidator.AssertValid(json);
        using var document = JsonDocument.Parse(json);
        Assert.Equal((int)status, document.RootElement.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("null")]
    [InlineData("\"a\"")]
    [InlineData("\"\"")]
    [InlineData("\"caf\u00e9 \ud83d\ude00 <&>+'\"")]
    [InlineData("0")]
    [InlineData("-17")]
    [InlineData("1.5")]
    [InlineData("1e300")]
    [InlineData("12345678901234567890")]
    [InlineData("true")]
    [InlineData("false")]
    [InlineData("[]")]
    [InlineData("[1, \"two\", null, {\"x\": [3]}]")]
    [InlineData("{}")]
    [InlineData("{\"b\": 1, \"a\": {\"c\": [true]}}")]
    public void Serialize_IdOfEveryKind_MatchesJobSchemaAndKeepsValue(string id)
    {
        var job = JobJson.Deserialize($$"""{"id": {{id}}, "workflow_name": "w"}""");

        var json = JobJson.SerializeToString(job);

        JobSchemaValidator.AssertValid(json);
        using var document = JsonDocument.Parse(json);
        JsonAssert.ValueEqual(id, document.RootElement.GetProperty("id"));
    }

    [Fact]
    public void Serialize_JobWithEveryFieldSet_MatchesJobSchema()
    {
        var job = JobJson.Deserialize(PythonRunning);
        job.PercentCompleted = 33.333333333333336;
        job.RequestedStartTime = "2030-01-01T09:30:00";
        job.Error = "ValueError: bad input";
        job.ErgateKey = "null:0123";
        job.ExtensionData = new Dictionary<string, JsonElement>(StringComparer.Ordinal)
        {
            ["priority"] = JsonValues.Parse("5"),
            ["meta"] = JsonValues.Parse("""{"a":[1,null]}"""),
        };

        var json = JobJson.SerializeToString(job);

        JobSchemaValidator.AssertValid(json);
        Assert.Contains("33.333333333333336", json, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(PythonJobs))]
    public void Serialize_PythonJob_MatchesJobSchema(string json)
    {
        JobSchemaValidator.AssertValid(JobJson.SerializeToString(JobJson.Deserialize(json)));
    }

    [Fact]
    public void Serialize_FinishedJobs_MatchJobSchema()
    {
        var completed = new Job("w") { Status = JobStatus.Completed, CurrentStep = 3, StepsCompleted = 3, PercentCompleted = 100 };
        var failed = new Job("w") { Status = JobStatus.Failed, StepsCompleted = 1, PercentCompleted = 33.333333333333336, Error = "KeyError: 'x'" };
        var aborted = new Job("w") { Status = JobStatus.Aborted, LastReturnValue = JsonValues.From(new { Reason = "stop" }) };

        JobSchemaValidator.AssertValid(JobJson.SerializeToString(completed));
        JobSchemaValidator.AssertValid(JobJson.SerializeToString(failed));
        JobSchemaValidator.AssertValid(JobJson.SerializeToString(aborted));
    }

    [Theory]
    [InlineData("""{"id": 1}""", "'workflow_name'")]
    [InlineData("""{"id": 1, "workflow_name": null}""", "'workflow_name'")]
    [InlineData("""{"id": 1, "workflow_name": 5}""", "'workflow_name'")]
    [InlineData("""{"id": 1, "workflow_name": ["w"]}""", "'workflow_name'")]
    [InlineData("""{"workflow_name": "w", "current_step": -1}""", "'current_step'")]
    [InlineData("""{"workflow_name": "w", "current_step": 3.5}""", "'current_step'")]
    [InlineData("""{"workflow_name": "w", "current_step": null}""", "'current_step'")]
    [InlineData("""{"workflow_name": "w", "steps_completed": "many"}""", "'steps_completed'")]
    [InlineData("""{"workflow_name": "w", "steps_completed": -3}""", "'steps_completed'")]
    [InlineData("""{"workflow_name": "w", "percent_completed": 100.5}""", "'percent_completed'")]
    [InlineData("""{"workflow_name": "w", "percent_completed": -0.1}""", "'percent_completed'")]
    [InlineData("""{"workflow_name": "w", "percent_completed": "half"}""", "'percent_completed'")]
    [InlineData("""{"workflow_name": "w", "status": 0}""", "'status'")]
    [InlineData("""{"workflow_name": "w", "status": 10}""", "'status'")]
    [InlineData("""{"workflow_name": "w", "status": -1}""", "'status'")]
    [InlineData("""{"workflow_name": "w", "status": "QUEUED"}""", "'status'")]
    [InlineData("""{"workflow_name": "w", "requested_start_time": "not a date"}""", "'requested_start_time'")]
    [InlineData("""{"workflow_name": "w", "requested_start_time": "2030-13-01T00:00:00"}""", "'requested_start_time'")]
    public void Deserialize_InvalidField_ThrowsNamingTheField(string json, string field)
    {
        var exception = Assert.Throws<InvalidJobDataException>(() => JobJson.Deserialize(json));

        Assert.Contains(field, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[{"workflow_name": "w"}]""", "object")]
    [InlineData("\"w\"", "object")]
    [InlineData("null", "object")]
    [InlineData("""{"workflow_name": "w",""", "JSON")]
    [InlineData("""{"workflow_name": 'w'}""", "JSON")]
    [InlineData("""{workflow_name: "w"}""", "JSON")]
    [InlineData("""{"workflow_name": "w"} {"workflow_name": "x"}""", "")]
    [InlineData("""{"workflow_name": "w"}x""", "")]
    [InlineData("""{"workflow_name": "w"}]""", "")]
    [InlineData("", "JSON")]
    [InlineData("  ", "JSON")]
    public void Deserialize_NotAJobObject_ThrowsInvalidJobData(string json, string expectedText)
    {
        var exception = Assert.Throws<InvalidJobDataException>(() => JobJson.Deserialize(json));

        Assert.Contains(expectedText, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_TrailingWhitespace_IsAccepted()
    {
        var job = JobJson.Deserialize("""{"workflow_name": "w"}""" + " \n\t");

        Assert.Equal("w", job.WorkflowName);
    }

    [Theory]
    [InlineData("workflow_name")]
    [InlineData("requested_start_time")]
    [InlineData("error")]
    [InlineData("an_unknown_key")]
    public void Deserialize_InvalidUtf8InString_ThrowsInvalidJobData(string field)
    {
        var before = field == "workflow_name" ? "{\"workflow_name\": \"" : $"{{\"workflow_name\": \"w\", \"{field}\": \"";
        byte[] data = [.. Encoding.UTF8.GetBytes(before), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"}")];

        Assert.Throws<InvalidJobDataException>(() => JobJson.Deserialize(data));
    }

    [Theory]
    [InlineData("status")]
    [InlineData("current_step")]
    [InlineData("steps_completed")]
    [InlineData("percent_completed")]
    public void Deserialize_ANumberBeyondDoubleRange_ThrowsInvalidJobData(string field)
    {
        var json = $$"""{"workflow_name": "w", "{{field}}": 1e400}""";

        Assert.Throws<InvalidJobDataException>(() => JobJson.Deserialize(json));
    }

    [Theory]
    [InlineData("workflow_name")]
    [InlineData("error")]
    [InlineData("ergate_step")]
    public void Deserialize_ALoneSurrogateEscapeInAString_ThrowsInvalidJobData(string field)
    {
        var json = field == "workflow_name"
            ? """{"workflow_name": "w\uD83D\u0041"}"""
            : $$"""{"workflow_name": "w", "{{field}}": "\uD83D\u0041"}""";

        Assert.Throws<InvalidJobDataException>(() => JobJson.Deserialize(json));
    }

    [Fact]
    public void Deserialize_IntegralFloatCounters_AcceptedAsIntegers()
    {
        var job = JobJson.Deserialize("""{"workflow_name": "w", "current_step": 3.0, "steps_completed": 2.00, "status": 4.0}""");

        Assert.Equal(3, job.CurrentStep);
        Assert.Equal(2, job.StepsCompleted);
        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Contains("\"current_step\":3,", JobJson.SerializeToString(job), StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_IntegerPercent_ReadAsFloat()
    {
        var job = JobJson.Deserialize("""{"workflow_name": "w", "percent_completed": 50}""");

        Assert.Equal(50.0, job.PercentCompleted);
        Assert.Contains("\"percent_completed\":50.0,", JobJson.SerializeToString(job), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("4294967298")] // 2^32 + 2: a (JobStatus)(int) cast of it would be 2, Queued.
    [InlineData("4294967300")] // 2^32 + 4: would be 4, Completed.
    [InlineData("-4294967294")] // -2^32 + 2.
    public void Deserialize_StatusBeyondInt32_ThrowsNamingStatus(string status)
    {
        var exception = Assert.Throws<InvalidJobDataException>(
            () => JobJson.Deserialize($$"""{"workflow_name": "w", "status": {{status}}}"""));

        Assert.Contains("'status'", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("percent_completed")]
    [InlineData("current_step")]
    [InlineData("steps_completed")]
    [InlineData("status")]
    public void Deserialize_NumberBeyondDouble_ThrowsInvalidJobData(string field)
    {
        // Python reads 1e400 as inf, which its model rejects; System.Text.Json reads it as infinity too.
        var json = $$"""{"workflow_name": "w", "{{field}}": 1e400}""";

        var exception = Assert.Throws<InvalidJobDataException>(() => JobJson.Deserialize(json));

        Assert.Contains($"'{field}'", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("w")]
    [InlineData("")]
    [InlineData("caf\u00e9-\u6d41\u7a0b-\U0001F600")]
    public void Deserialize_WorkflowAndStepNames_ReadExactlyWhateverTheirEncodedLength(string name)
    {
        // Names are decoded into a buffer sized to their UTF-8 bytes: multi-byte characters and the empty name must fit.
        var json = $$"""{"id":"a","workflow_name":"{{name}}","status":2,"current_step":0,"steps_completed":0,"percent_completed":0.0,"initial_input_value":null,"last_return_value":null,"user_context":null,"requested_start_time":null,"ergate_step":"{{name}}"}""";

        var job = JobJson.Deserialize(json);

        Assert.Equal(name, job.WorkflowName);
        Assert.Equal(name, job.ErgateStep);
    }
}
