using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ergate;

/// <summary>
/// Reads and writes a <see cref="Job"/> in Python Ergate's JSON shape. Hand-written rather than generated so
/// that every rule of the reference model (required <c>workflow_name</c>, non-negative counters, a percentage
/// from 0 to 100, a defined status) is checked in one pass with a message naming the field, and so that
/// unknown keys survive a round trip.
/// </summary>
internal sealed class JobJsonConverter : JsonConverter<Job>
{
    public override Job Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Invalid($"a job must be a JSON object, not {Describe(reader.TokenType)}");
        }

        // One document for the whole job: the value fields (id, input, return value, context) are elements of it,
        // rather than a document each.
        var root = JsonElement.ParseValue(ref reader);
        string? workflowName = null;
        var job = new Job(string.Empty);
        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            if (property.NameEquals("id"u8))
            {
                job.Id = value;
            }
            else if (property.NameEquals("workflow_name"u8))
            {
                workflowName = value.ValueKind == JsonValueKind.String
                    ? value.GetString()
                    : throw Invalid($"'workflow_name' must be a string, not {Describe(value.ValueKind)}");
            }
            else if (property.NameEquals("status"u8))
            {
                var status = ReadInteger(value, "status");
                job.Status = status is >= (long)JobStatus.Scheduled and <= (long)JobStatus.Cancelled
                    ? (JobStatus)status
                    : throw Invalid($"'status' must be a JobStatus from 1 to 9, not {status}");
            }
            else if (property.NameEquals("current_step"u8))
            {
                job.CurrentStep = ReadNonNegative(value, "current_step");
            }
            else if (property.NameEquals("steps_completed"u8))
            {
                job.StepsCompleted = ReadNonNegative(value, "steps_completed");
            }
            else if (property.NameEquals("percent_completed"u8))
            {
                if (value.ValueKind != JsonValueKind.Number)
                {
                    throw Invalid($"'percent_completed' must be a number, not {Describe(value.ValueKind)}");
                }

                var percent = value.GetDouble();
                job.PercentCompleted = percent is >= 0 and <= 100
                    ? percent
                    : throw Invalid($"'percent_completed' must be from 0 to 100, not {percent.ToString(CultureInfo.InvariantCulture)}");
            }
            else if (property.NameEquals("initial_input_value"u8))
            {
                job.InitialInputValue = value;
            }
            else if (property.NameEquals("last_return_value"u8))
            {
                job.LastReturnValue = value;
            }
            else if (property.NameEquals("user_context"u8))
            {
                job.UserContext = value;
            }
            else if (property.NameEquals("requested_start_time"u8))
            {
                job.RequestedStartTime = ReadStartTime(value);
            }
            else if (property.NameEquals("error"u8) && IsStringOrNull(value))
            {
                job.Error = value.GetString();
            }
            else if (property.NameEquals("ergate_key"u8) && IsStringOrNull(value))
            {
                job.ErgateKey = value.GetString();
            }
            else if (property.NameEquals("ergate_step"u8) && IsStringOrNull(value))
            {
                job.ErgateStep = value.GetString();
            }
            else
            {
                job.ExtensionData ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                job.ExtensionData[property.Name] = value;
            }
        }

        job.WorkflowName = workflowName ?? throw Invalid("'workflow_name' is required");
        return job;
    }

    public override void Write(Utf8JsonWriter writer, Job value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("id"u8);
        value.Id.WriteTo(writer);
        writer.WriteString("workflow_name"u8, value.WorkflowName);
        writer.WriteNumber("status"u8, (int)value.Status);
        writer.WriteNumber("current_step"u8, value.CurrentStep);
        writer.WriteNumber("steps_completed"u8, value.StepsCompleted);
        writer.WritePropertyName("percent_completed"u8);
        WritePercent(writer, value.PercentCompleted);
        writer.WritePropertyName("initial_input_value"u8);
        value.InitialInputValue.WriteTo(writer);
        writer.WritePropertyName("last_return_value"u8);
        value.LastReturnValue.WriteTo(writer);
        writer.WritePropertyName("user_context"u8);
        value.UserContext.WriteTo(writer);
        if (value.RequestedStartTime is null)
        {
            writer.WriteNull("requested_start_time"u8);
        }
        else
        {
            writer.WriteString("requested_start_time"u8, value.RequestedStartTime);
        }

        if (value.Error is not null)
        {
            writer.WriteString("error"u8, value.Error);
        }

        if (value.ErgateKey is not null)
        {
            writer.WriteString("ergate_key"u8, value.ErgateKey);
        }

        if (value.ErgateStep is not null)
        {
            writer.WriteString("ergate_step"u8, value.ErgateStep);
        }

        if (value.ExtensionData is not null)
        {
            foreach (var (name, element) in value.ExtensionData)
            {
                writer.WritePropertyName(name);
                element.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }

    // Python writes a float percentage with a decimal point (50.0); we do the same so the bytes look alike.
    private static void WritePercent(Utf8JsonWriter writer, double percent)
    {
        if (percent == Math.Floor(percent) && Math.Abs(percent) < 1e15)
        {
            Span<byte> buffer = stackalloc byte[24];
            ((long)percent).TryFormat(buffer, out var written, default, CultureInfo.InvariantCulture);
            ".0"u8.CopyTo(buffer[written..]);
            writer.WriteRawValue(buffer[..(written + 2)], skipInputValidation: true);
        }
        else
        {
            writer.WriteNumberValue(percent);
        }
    }

    // Our extension keys are read only when they hold what we write; anything else is an unknown key (Python ignores
    // extra keys, so another producer may use these names for its own data).
    private static bool IsStringOrNull(JsonElement value) => value.ValueKind is JsonValueKind.String or JsonValueKind.Null;

    private static long ReadInteger(JsonElement value, string field)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw Invalid($"'{field}' must be an integer, not {Describe(value.ValueKind)}");
        }

        if (value.TryGetInt64(out var integer))
        {
            return integer;
        }

        // Python's model accepts an integral float such as 3.0 for an int field.
        var number = value.GetDouble();
        return number == Math.Floor(number) && Math.Abs(number) < int.MaxValue
            ? (long)number
            : throw Invalid($"'{field}' must be an integer, not {number.ToString(CultureInfo.InvariantCulture)}");
    }

    private static int ReadNonNegative(JsonElement value, string field)
    {
        var integer = ReadInteger(value, field);
        return integer is >= 0 and <= int.MaxValue
            ? (int)integer
            : throw Invalid($"'{field}' must be an integer from 0 to {int.MaxValue}, not {integer}");
    }

    private static string? ReadStartTime(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw Invalid($"'requested_start_time' must be a string or null, not {Describe(value.ValueKind)}");
        }

        var text = value.GetString()!;
        return RequestedStartTimes.TryParse(text, out _)
            ? text
            : throw Invalid("'requested_start_time' must be an ISO-8601 date-time or null");
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private static InvalidJobDataException Invalid(string problem) => new($"Not a valid job: {problem}.");
}
