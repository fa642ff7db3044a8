using System.Globalization;
using System.Text.Json;

namespace Ergate;

/// <summary>
/// Reads a <see cref="Job"/> in Python Ergate's JSON shape in one forward pass, checking every rule of the reference
/// model (required <c>workflow_name</c>, non-negative counters, a percentage from 0 to 100, a defined status) with a
/// message naming the field. The value fields are kept as slices of the source text (see <see cref="JobValue"/>),
/// not parsed into documents; unknown keys are kept so they round-trip.
/// </summary>
internal static class JobJsonReader
{
    public static Job Read(ReadOnlyMemory<byte> source)
    {
        var reader = new Utf8JsonReader(source.Span);
        if (!reader.Read())
        {
            throw Invalid("a job must be a JSON object, not empty data");
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Invalid($"a job must be a JSON object, not {Describe(reader.TokenType)}");
        }

        string? workflowName = null;
        var job = new Job(string.Empty);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                job.IdValue = ReadValue(ref reader, source);
            }
            else if (reader.ValueTextEquals("workflow_name"u8))
            {
                reader.Read();
                workflowName = reader.TokenType == JsonTokenType.String
                    ? Utf8Names.GetString(ref reader)
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
                job.InitialInput = ReadValue(ref reader, source);
            }
            else if (reader.ValueTextEquals("last_return_value"u8))
            {
                job.LastReturn = ReadValue(ref reader, source);
            }
            else if (reader.ValueTextEquals("user_context"u8))
            {
                job.Context = ReadValue(ref reader, source);
            }
            else if (reader.ValueTextEquals("requested_start_time"u8))
            {
                reader.Read();
                job.RequestedStartTime = ReadStartTime(ref reader);
            }
            else if (ReadExtensionKey(ref reader, job))
            {
                // One of ours, holding what we write.
            }
            else
            {
                var name = reader.GetString()!;
                reader.Read();
                job.ExtensionData ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                job.ExtensionData[name] = JsonElement.ParseValue(ref reader);
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            // Only reachable through truncated data, which the reader reports itself; kept for safety.
            throw Invalid("the job object is not closed");
        }

        if (reader.Read())
        {
            throw Invalid("data follows the job object");
        }

        job.WorkflowName = workflowName ?? throw Invalid("'workflow_name' is required");
        return job;
    }

    // Our extension keys are read only when they hold what we write (a string or null); anything else is an unknown
    // key (Python ignores extra keys, so another producer may use these names for its own data). The reader is left
    // on the property name when the key is not ours.
    private static bool ReadExtensionKey(ref Utf8JsonReader reader, Job job)
    {
        var which = reader.ValueTextEquals("error"u8) ? 1
            : reader.ValueTextEquals("ergate_key"u8) ? 2
            : reader.ValueTextEquals("ergate_step"u8) ? 3
            : 0;
        if (which == 0)
        {
            return false;
        }

        var peek = reader;
        peek.Read();
        if (peek.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
        {
            return false;
        }

        reader.Read();
        var text = reader.TokenType == JsonTokenType.Null ? null
            : which == 3 ? Utf8Names.GetString(ref reader)
            : reader.GetString();
        switch (which)
        {
            case 1:
                job.Error = text;
                break;
            case 2:
                job.ErgateKey = text;
                break;
            default:
                job.ErgateStep = text;
                break;
        }

        return true;
    }

    // The value after the current property name, as a slice of the source (the reader checks it is valid JSON).
    private static JobValue ReadValue(ref Utf8JsonReader reader, ReadOnlyMemory<byte> source)
    {
        reader.Read();
        var start = (int)reader.TokenStartIndex;
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            reader.Skip();
        }

        return reader.TokenType == JsonTokenType.Null ? default : JobValue.FromUtf8(source[start..(int)reader.BytesConsumed]);
    }

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
        var integer = ReadInteger(ref reader, field);
        return integer is >= 0 and <= int.MaxValue
            ? (int)integer
            : throw Invalid($"'{field}' must be an integer from 0 to {int.MaxValue}, not {integer}");
    }

    private static string? ReadStartTime(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw Invalid($"'requested_start_time' must be a string or null, not {Describe(reader.TokenType)}");
        }

        var text = reader.GetString()!;
        return RequestedStartTimes.TryParse(text, out _)
            ? text
            : throw Invalid("'requested_start_time' must be an ISO-8601 date-time or null");
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
