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

        string? workflowName = null;
        var job = new Job(string.Empty);
        while (true)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                job.Id = JsonElement.ParseValue(ref reader);
            }
            else if (reader.ValueTextEquals("workflow_name"u8))
            {
                reader.Read();
                workflowName = reader.TokenType == JsonTokenType.String
                    ? reader.GetString()
                    : throw Invalid($"'workflow_name' must be a string, not {Describe(reader.TokenType)}");
            }
            else if (reader.ValueTextEquals("status"u8))
            {
                reader.Read();
                var status = ReadInteger(ref reader, "status");
                job.Status = status is >= (long)JobStatus.Scheduled and <= (long)JobStatus.Cancelled
                    ? (JobStatus)status
                    : throw Invalid($"'status' must be a JobStatus from 1 to 9, not {status}");
            }
            else if (reader.ValueTextEquals("current_step"u8))
            {
                reader.Read();
                job.CurrentStep = ReadNonNegative(ref reader, "current_step");
            }
            else if (reader.ValueTextEquals("steps_completed"u8))
            {
                reader.Read();
                job.StepsCompleted = ReadNonNegative(ref reader, "steps_completed");
            }
            else if (reader.ValueTextEquals("percent_completed"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number)
                {
                    throw Invalid($"'percent_completed' must be a number, not {Describe(reader.TokenType)}");
                }

                var percent = reader.GetDouble();
                job.PercentCompleted = percent is >= 0 and <= 100
                    ? percent
                    : throw Invalid($"'percent_completed' must be from 0 to 100, not {percent.ToString(CultureInfo.InvariantCulture)}");
            }
            else if (reader.ValueTextEquals("initial_input_value"u8))
            {
                reader.Read();
                job.InitialInputValue = JsonElement.ParseValue(ref reader);
            }
            else if (reader.ValueTextEquals("last_return_value"u8))
            {
                reader.Read();
                job.LastReturnValue = JsonElement.ParseValue(ref reader);
            }
            else if (reader.ValueTextEquals("user_context"u8))
            {
                reader.Read();
                job.UserContext = JsonElement.ParseValue(ref reader);
            }
            else if (reader.ValueTextEquals("requested_start_time"u8))
            {
                reader.Read();
                job.RequestedStartTime = ReadStartTime(ref reader);
            }
            else if (reader.ValueTextEquals("error"u8) && PeekIsStringOrNull(reader))
            {
                reader.Read();
                job.Error = reader.GetString();
            }
            else if (reader.ValueTextEquals("ergate_key"u8) && PeekIsStringOrNull(reader))
            {
                reader.Read();
                job.ErgateKey = reader.GetString();
            }
            else if (reader.ValueTextEquals("ergate_step"u8) && PeekIsStringOrNull(reader))
            {
                reader.Read();
                job.ErgateStep = reader.GetString();
            }
            else
            {
                var name = reader.GetString()!;
                reader.Read();
                job.ExtensionData ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                job.ExtensionData[name] = JsonElement.ParseValue(ref reader);
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
    private static bool PeekIsStringOrNull(Utf8JsonReader reader) =>
        reader.Read() && reader.TokenType is JsonTokenType.String or JsonTokenType.Null;

    private static long ReadInteger(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            throw Invalid($"'{field}' must be an integer, not {Describe(reader.TokenType)}");
        }

        if (reader.TryGetInt64(out var integer))
        {
            return integer;
        }

        // Python's model accepts an integral float such as 3.0 for an int field.
        var number = reader.GetDouble();
        return number == Math.Floor(number) && Math.Abs(number) < int.MaxValue
            ? (long)number
            : throw Invalid($"'{field}' must be an integer, not {number.ToString(CultureInfo.InvariantCulture)}");
    }

    private static int ReadNonNegative(ref Utf8JsonReader reader, string field)
    {
        var value = ReadInteger(ref reader, field);
        return value is >= 0 and <= int.MaxValue
            ? (int)value
            : throw Invalid($"'{field}' must be an integer from 0 to {int.MaxValue}, not {value}");
    }

    private static string? ReadOptionalString(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => reader.GetString(),
        _ => throw Invalid($"'{field}' must be a string or null, not {Describe(reader.TokenType)}"),
    };

    private static string? ReadStartTime(ref Utf8JsonReader reader)
    {
        var text = ReadOptionalString(ref reader, "requested_start_time");
        if (text is not null && !RequestedStartTimes.TryParse(text, out _))
        {
            throw Invalid("'requested_start_time' must be an ISO-8601 date-time or null");
        }

        return text;
    }

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
