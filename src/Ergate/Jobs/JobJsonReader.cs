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
    // The known keys in the order JobJsonConverter writes them; Field's values are their positions plus one.
    private static readonly byte[][] Names =
    [
        "id"u8.ToArray(),
        "workflow_name"u8.ToArray(),
        "status"u8.ToArray(),
        "current_step"u8.ToArray(),
        "steps_completed"u8.ToArray(),
        "percent_completed"u8.ToArray(),
        "initial_input_value"u8.ToArray(),
        "last_return_value"u8.ToArray(),
        "user_context"u8.ToArray(),
        "requested_start_time"u8.ToArray(),
        "error"u8.ToArray(),
        "ergate_key"u8.ToArray(),
        "ergate_step"u8.ToArray(),
    ];

    private enum Field
    {
        None,
        Id,
        WorkflowName,
        Status,
        CurrentStep,
        StepsCompleted,
        PercentCompleted,
        InitialInputValue,
        LastReturnValue,
        UserContext,
        RequestedStartTime,
        Error,
        ErgateKey,
        ErgateStep,
    }

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
        var next = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = Identify(ref reader, ref next);
            if (field == Field.Id)
            {
                job.IdValue = ReadValue(ref reader, source);
            }
            else if (field == Field.WorkflowName)
            {
                reader.Read();
                workflowName = reader.TokenType == JsonTokenType.String
                    ? Utf8Names.GetString(ref reader)
                    : throw Invalid($"'workflow_name' must be a string, not {Describe(reader.TokenType)}");
            }
            else if (field == Field.Status)
            {
                reader.Read();
                var status = ReadInteger(ref reader, "status");
                job.Status = status is >= (long)JobStatus.Scheduled and <= (long)JobStatus.Cancelled
                    ? (JobStatus)status
                    : throw Invalid($"'status' must be a JobStatus from 1 to 9, not {status}");
            }
            else if (field == Field.CurrentStep)
            {
                reader.Read();
                job.CurrentStep = ReadNonNegative(ref reader, "current_step");
            }
            else if (field == Field.StepsCompleted)
            {
                reader.Read();
                job.StepsCompleted = ReadNonNegative(ref reader, "steps_completed");
            }
            else if (field == Field.PercentCompleted)
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
            else if (field == Field.InitialInputValue)
            {
                job.InitialInput = ReadValue(ref reader, source);
            }
            else if (field == Field.LastReturnValue)
            {
                job.LastReturn = ReadValue(ref reader, source);
            }
            else if (field == Field.UserContext)
            {
                job.Context = ReadValue(ref reader, source);
            }
            else if (field == Field.RequestedStartTime)
            {
                reader.Read();
                job.RequestedStartTime = ReadStartTime(ref reader);
            }
            else if (field >= Field.Error && ReadExtensionKey(ref reader, job, field))
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
    private static bool ReadExtensionKey(ref Utf8JsonReader reader, Job job, Field field)
    {
        var peek = reader;
        peek.Read();
        if (peek.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
        {
            return false;
        }

        reader.Read();
        var text = reader.TokenType == JsonTokenType.Null ? null
            : field == Field.ErgateStep ? Utf8Names.GetString(ref reader)
            : reader.GetString();
        switch (field)
        {
            case Field.Error:
                job.Error = text;
                break;
            case Field.ErgateKey:
                job.ErgateKey = text;
                break;
            default:
                job.ErgateStep = text;
                break;
        }

        return true;
    }

    // Which known key the property name is. Names nearly always come in the order we write them, so the search starts
    // at the one after the last match: one comparison per property instead of one per name tried before it.
    private static Field Identify(ref Utf8JsonReader reader, ref int next)
    {
        for (var tried = 0; tried < Names.Length; tried++)
        {
            var i = next + tried;
            if (i >= Names.Length)
            {
                i -= Names.Length;
            }

            if (reader.ValueTextEquals(Names[i]))
            {
                next = i + 1;
                return (Field)(i + 1);
            }
        }

        return Field.None;
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
