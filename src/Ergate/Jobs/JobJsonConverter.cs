using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ergate;

/// <summary>
/// Writes a <see cref="Job"/> in Python Ergate's JSON shape (snake_case names, integer statuses, a percentage with a
/// decimal point, our extension keys only when set, unknown keys as they came); reading is
/// <see cref="JobJsonReader"/>'s. Registered on <see cref="Job"/>, so a job inside another serialized object keeps
/// this shape too.
/// </summary>
internal sealed class JobJsonConverter : JsonConverter<Job>
{
    public override Job Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // A job inside another serialized object: take its text and read it like any other job.
        var element = JsonElement.ParseValue(ref reader);
        return JobJsonReader.Read(JsonMarshal.GetRawUtf8Value(element).ToArray());
    }

    public override void Write(Utf8JsonWriter writer, Job value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("id"u8);
        value.IdValue.WriteTo(writer);
        writer.WriteString("workflow_name"u8, value.WorkflowName);
        writer.WriteNumber("status"u8, (int)value.Status);
        writer.WriteNumber("current_step"u8, value.CurrentStep);
        writer.WriteNumber("steps_completed"u8, value.StepsCompleted);
        writer.WritePropertyName("percent_completed"u8);
        WritePercent(writer, value.PercentCompleted);
        writer.WritePropertyName("initial_input_value"u8);
        value.InitialInput.WriteTo(writer);
        writer.WritePropertyName("last_return_value"u8);
        value.LastReturn.WriteTo(writer);
        writer.WritePropertyName("user_context"u8);
        value.Context.WriteTo(writer);
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
}
