using System.Buffers;

namespace Ergate;

/// <summary>
/// Writes the common job straight into a buffer, byte for byte what <see cref="JobJsonConverter"/> writes for it,
/// without a <see cref="System.Text.Json.Utf8JsonWriter"/>: the writer's per-token bookkeeping and its check of every
/// string for characters to escape were most of the cost of writing a step's result. The layout is
/// <see cref="JobJsonLayoutReader"/>'s. It gives up (and the converter writes the job) on anything it would have to
/// format or escape: extension data, a value that is an element whose tokens the writer would write anew (see
/// <see cref="JobValue.IsWrittenAsText"/>), a string with any character outside printable ASCII or one the writer
/// escapes, a null workflow name, a percentage that is not whole.
/// </summary>
internal static class JobJsonLayoutWriter
{
    // The most a percentage ("-999999999999999.0") or a counter ("-2147483648") takes.
    private const int MaxNumberLength = 24;

    /// <summary>Writes the job into <paramref name="buffer"/>; false, with nothing written, when it is not in our layout.</summary>
    public static bool TryWrite(Job job, IBufferWriter<byte> buffer)
    {
        if (job.ExtensionData is not null)
        {
            return false;
        }

        var id = job.IdValue;
        var input = job.InitialInput;
        var last = job.LastReturn;
        var context = job.Context;
        if (!id.IsWrittenAsText || !input.IsWrittenAsText || !last.IsWrittenAsText || !context.IsWrittenAsText)
        {
            return false;
        }

        var workflowName = job.WorkflowName;
        var startTime = job.RequestedStartTime;
        var error = job.Error;
        var ergateKey = job.ErgateKey;
        var ergateStep = job.ErgateStep;
        if (workflowName is null
            || !PlainJsonText.IsPlain(workflowName)
            || !PlainJsonText.IsPlain(startTime)
            || !PlainJsonText.IsPlain(error)
            || !PlainJsonText.IsPlain(ergateKey)
            || !PlainJsonText.IsPlain(ergateStep))
        {
            return false;
        }

        var idText = id.Utf8;
        var inputText = input.Utf8;
        var lastText = last.Utf8;
        var contextText = context.Utf8;
        var most = 256 + (4 * MaxNumberLength) + idText.Length + inputText.Length + lastText.Length + contextText.Length
            + workflowName.Length + Length(startTime) + Length(error) + Length(ergateKey) + Length(ergateStep);
        var span = buffer.GetSpan(most);
        var at = 0;
        Put(span, ref at, "{\"id\":"u8);
        Put(span, ref at, idText);
        Put(span, ref at, ",\"workflow_name\":\""u8);
        PutAscii(span, ref at, workflowName);
        Put(span, ref at, "\",\"status\":"u8);
        PutInt(span, ref at, (int)job.Status);
        Put(span, ref at, ",\"current_step\":"u8);
        PutInt(span, ref at, job.CurrentStep);
        Put(span, ref at, ",\"steps_completed\":"u8);
        PutInt(span, ref at, job.StepsCompleted);
        Put(span, ref at, ",\"percent_completed\":"u8);
        if (!JobJsonConverter.TryFormatWholePercent(job.PercentCompleted, span[at..], out var written))
        {
            return false;
        }

        at += written;
        Put(span, ref at, ",\"initial_input_value\":"u8);
        Put(span, ref at, inputText);
        Put(span, ref at, ",\"last_return_value\":"u8);
        Put(span, ref at, lastText);
        Put(span, ref at, ",\"user_context\":"u8);
        Put(span, ref at, contextText);
        if (startTime is null)
        {
            Put(span, ref at, ",\"requested_start_time\":null"u8);
        }
        else
        {
            PutString(span, ref at, ",\"requested_start_time\":\""u8, startTime);
        }

        if (error is not null)
        {
            PutString(span, ref at, ",\"error\":\""u8, error);
        }

        if (ergateKey is not null)
        {
            PutString(span, ref at, ",\"ergate_key\":\""u8, ergateKey);
        }

        if (ergateStep is not null)
        {
            PutString(span, ref at, ",\"ergate_step\":\""u8, ergateStep);
        }

        span[at++] = (byte)'}';
        buffer.Advance(at);
        return true;
    }

    private static int Length(string? text) => text is null ? 0 : text.Length + 32;

    private static void Put(Span<byte> span, ref int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(span[at..]);
        at += bytes.Length;
    }

    private static void PutAscii(Span<byte> span, ref int at, string text)
    {
        System.Text.Ascii.FromUtf16(text, span[at..], out var written);
        at += written;
    }

    private static void PutString(Span<byte> span, ref int at, ReadOnlySpan<byte> prefix, string text)
    {
        Put(span, ref at, prefix);
        PutAscii(span, ref at, text);
        span[at++] = (byte)'"';
    }

    private static void PutInt(Span<byte> span, ref int at, int value)
    {
        value.TryFormat(span[at..], out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        at += written;
    }
}
