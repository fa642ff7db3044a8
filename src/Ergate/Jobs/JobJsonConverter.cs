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
    // The property names, encoded once: the writer then skips checking each name for characters to escape.
    private static readonly JsonEncodedText IdName = JsonEncodedText.Encode("id"u8);

    private static readonly JsonEncodedText WorkflowNameName = JsonEncodedText.Encode("workflow_name"u8);

    private static readonly JsonEncodedText StatusName = JsonEncodedText.Encode("status"u8);

    private static readonly JsonEncodedText CurrentStepName = JsonEncodedText.Encode("current_step"u8);

    private static readonly JsonEncodedText StepsCompletedName = JsonEncodedText.Encode("steps_completed"u8);

    private static readonly JsonEncodedText PercentCompletedName = JsonEncodedText.Encode("percent_completed"u8);

    private static readonly JsonEncodedText InitialInputValueName = JsonEncodedText.Encode("initial_input_value"u8);

    private static readonly JsonEncodedText LastReturnValueName = JsonEncodedText.Encode("last_return_value"u8);

    private static readonly JsonEncodedText UserContextName = JsonEncodedText.Encode("user_context"u8);

    private static readonly JsonEncodedText RequestedStartTimeName = JsonEncodedText.Encode("requested_start_time"u8);

    private static readonly JsonEncodedText ErrorName = JsonEncodedText.Encode("error"u8);

    private static readonly JsonEncodedText ErgateKeyName = JsonEncodedText.Encode("ergate_key"u8);

    private static readonly JsonEncodedText ErgateStepName = JsonEncodedText.Encode("ergate_step"u8);

    public override Job Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // A job inside another serialized object: take its text and read it like any other job.
        var element = JsonElement.ParseValue(ref reader);
        return JobJsonReader.Read(JsonMarshal.GetRawUtf8Value(element).ToArray());
    }

    public override void Write(Utf8JsonWriter writer, Job value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WritePropertyName(IdName);
        value.IdValue.WriteTo(writer);
        writer.WriteString(WorkflowNameName, value.WorkflowName);
        writer.WriteNumber(StatusName, (int)value.Status);
        writer.WriteNumber(CurrentStepName, value.CurrentStep);
        writer.WriteNumber(StepsCompletedName, value.StepsCompleted);
        writer.WritePropertyName(PercentCompletedName);
        WritePercent(writer, value.PercentCompleted);
        writer.WritePropertyName(InitialInputValueName);
        value.InitialInput.WriteTo(writer);
        writer.WritePropertyName(LastReturnValueName);
        value.LastReturn.WriteTo(writer);
        writer.WritePropertyName(UserContextName);
        value.Context.WriteTo(writer);
        if (value.RequestedStartTime is null)
        {
            writer.WriteNull(RequestedStartTimeName);
        }
        else
        {
            writer.WriteString(RequestedStartTimeName, value.RequestedStartTime);
        }

        if (value.Error is not null)
        {
            writer.WriteString(ErrorName, value.Error);
        }

        if (value.ErgateKey is not null)
        {
            writer.WriteString(ErgateKeyName, value.ErgateKey);
        }

        if (value.ErgateStep is not null)
        {
            writer.WriteString(ErgateStepName, value.ErgateStep);
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
        Span<byte> buffer = stackalloc byte[24];
        if (TryFormatWholePercent(percent, buffer, out var written))
        {
            writer.WriteRawValue(buffer[..written], skipInputValidation: true);
        }
        else
        {
            writer.WriteNumberValue(percent);
        }
    }

    // A whole percentage as we write it ("50.0"); false for any other number, which the JSON writer formats.
    internal static bool TryFormatWholePercent(double percent, Span<byte> destination, out int written)
    {
        written = 0;
        if (percent != Math.Floor(percent) || Math.Abs(percent) >= 1e15)
        {
            return false;
        }

        ((long)percent).TryFormat(destination, out written, default, CultureInfo.InvariantCulture);
        ".0"u8.CopyTo(destination[written..]);
        written += 2;
        return true;
    }
}
