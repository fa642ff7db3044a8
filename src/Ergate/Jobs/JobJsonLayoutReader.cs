using System.Buffers.Text;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Ergate;

/// <summary>
/// Reads a job written in exactly <see cref="JobJsonConverter"/>'s layout (our keys in our order, no whitespace, no
/// escapes in names, no unknown keys) by matching its bytes, without a JSON tokenizer: every job the engine puts on a
/// queue is in that layout, and reading it back is the largest single cost of a step. Anything else, including every
/// invalid job, makes it give up (return <see langword="null"/>) so that <see cref="JobJsonReader"/> reads the data
/// and reports what is wrong; it never throws for bad data and never accepts what that reader would reject or read
/// differently.
/// </summary>
internal static class JobJsonLayoutReader
{
    // The reader that checks a container value reads it alone, so it allows one level less than the default depth
    // JobJsonReader reads it at (inside the job object); no comments, as there.
    private static readonly JsonReaderOptions ValueReaderOptions = new() { AllowMultipleValues = true, MaxDepth = 63 };

    /// <summary>
    /// The job, or <see langword="null"/> when the data is not in our layout. A job whose text is exactly what
    /// <see cref="JobJsonConverter"/> writes for it (its percentage written as we write it, its strings plain ASCII),
    /// read from a whole array, keeps that array as its cached JSON
    /// (with where its status digit is), so storing and putting it unchanged, or RUNNING, serializes nothing.
    /// </summary>
    public static Job? TryRead(ReadOnlyMemory<byte> source)
    {
        var json = source.Span;
        var at = 0;
        if (!Literal(json, ref at, "{\"id\":"u8) || !Value(json, ref at, out var id)
            || !Literal(json, ref at, ",\"workflow_name\":\""u8) || !Name(json, ref at, out var workflowName)
            || !Literal(json, ref at, ",\"status\":"u8))
        {
            return null;
        }

        var statusAt = at;
        if (!Digit(json, ref at, out var status) || status == 0
            || !Literal(json, ref at, ",\"current_step\":"u8) || !Counter(json, ref at, out var currentStep)
            || !Literal(json, ref at, ",\"steps_completed\":"u8) || !Counter(json, ref at, out var stepsCompleted)
            || !Literal(json, ref at, ",\"percent_completed\":"u8) || !Percent(json, ref at, out var percent, out var canonical)
            || !Literal(json, ref at, ",\"initial_input_value\":"u8) || !Value(json, ref at, out var initialInput)
            || !Literal(json, ref at, ",\"last_return_value\":"u8) || !Value(json, ref at, out var lastReturn)
            || !Literal(json, ref at, ",\"user_context\":"u8) || !Value(json, ref at, out var context)
            || !Literal(json, ref at, ",\"requested_start_time\":null"u8)
            || !Optional(json, ref at, ",\"error\":\""u8, out var error)
            || !Optional(json, ref at, ",\"ergate_key\":\""u8, out var ergateKey))
        {
            return null;
        }

        string? ergateStep = null;
        if (Literal(json, ref at, ",\"ergate_step\":\""u8) && !Name(json, ref at, out ergateStep))
        {
            return null;
        }

        if (at != json.Length - 1 || json[at] != (byte)'}')
        {
            return null;
        }

        var job = new Job(workflowName)
        {
            Status = (JobStatus)status,
            CurrentStep = currentStep,
            StepsCompleted = stepsCompleted,
            PercentCompleted = percent,
            IdValue = Slice(source, id),
            InitialInput = Slice(source, initialInput),
            LastReturn = Slice(source, lastReturn),
            Context = Slice(source, context),
            ErgateStep = ergateStep,
        };
        if (error is not null)
        {
            job.Error = error;
        }

        if (ergateKey is not null)
        {
            job.ErgateKey = ergateKey;
        }

        // The writer escapes some non-ASCII characters even with relaxed escaping (those outside the BMP, U+2028, ...):
        // text whose strings are not plain printable ASCII is read here, but not kept as what the writer would write.
        canonical = canonical && PlainJsonText.IsPlain(workflowName) && PlainJsonText.IsPlain(ergateStep) && PlainJsonText.IsPlain(error) && PlainJsonText.IsPlain(ergateKey);
        if (canonical && MemoryMarshal.TryGetArray(source, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length)
        {
            job.CacheJson(segment.Array, statusAt);
        }

        return job;
    }

    private static bool Literal(ReadOnlySpan<byte> json, ref int at, ReadOnlySpan<byte> literal)
    {
        if (!json[at..].StartsWith(literal))
        {
            return false;
        }

        at += literal.Length;
        return true;
    }

    private static JobValue Slice(ReadOnlyMemory<byte> source, Range range) => JobValue.FromUtf8(source[range]);

    // One JSON value: a scalar matched here, an object or array checked by a JSON reader of its own.
    private static bool Value(ReadOnlySpan<byte> json, ref int at, out Range range)
    {
        var start = at;
        range = default;
        if (at >= json.Length)
        {
            return false;
        }

        var ok = json[at] switch
        {
            (byte)'"' => String(json, ref at),
            (byte)'n' => Literal(json, ref at, "null"u8),
            (byte)'t' => Literal(json, ref at, "true"u8),
            (byte)'f' => Literal(json, ref at, "false"u8),
            (byte)'{' or (byte)'[' => Container(json, ref at),
            _ => Number(json, ref at),
        };
        range = start..at;
        return ok;
    }

    private static bool Container(ReadOnlySpan<byte> json, ref int at)
    {
        try
        {
            var reader = new Utf8JsonReader(json[at..], ValueReaderOptions);
            reader.Read();
            reader.Skip();
            at += (int)reader.BytesConsumed;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // A string with no escapes and no control characters (the data was checked to be valid UTF-8 as a whole).
    private static bool String(ReadOnlySpan<byte> json, ref int at)
    {
        at++;
        return Content(json, ref at, out _);
    }

    // The content of a string whose opening quote is just before `at`, up to its closing quote, which `at` then passes:
    // no escapes and no control characters.
    private static bool Content(ReadOnlySpan<byte> json, ref int at, out ReadOnlySpan<byte> content)
    {
        content = json[at..];
        var end = content.IndexOfAny((byte)'"', (byte)'\\');
        if (end < 0 || content[end] != (byte)'"' || content[..end].IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0)
        {
            return false;
        }

        content = content[..end];
        at += end + 1;
        return true;
    }

    // The content of a string whose opening quote was matched, as a name string made once (see Utf8Names).
    private static bool Name(ReadOnlySpan<byte> json, ref int at, out string name)
    {
        if (!Content(json, ref at, out var content))
        {
            name = string.Empty;
            return false;
        }

        name = Utf8Names.GetString(content);
        return true;
    }

    // An extension key of ours holding a string, or nothing: absent is fine, anything else is not our layout.
    private static bool Optional(ReadOnlySpan<byte> json, ref int at, ReadOnlySpan<byte> prefix, out string? text)
    {
        text = null;
        if (!Literal(json, ref at, prefix))
        {
            return true;
        }

        if (!Content(json, ref at, out var content))
        {
            return false;
        }

        text = Encoding.UTF8.GetString(content);
        return true;
    }

    private static bool Digit(ReadOnlySpan<byte> json, ref int at, out int digit)
    {
        digit = at < json.Length ? json[at] - '0' : -1;
        if (digit is < 0 or > 9 || (at + 1 < json.Length && char.IsAsciiDigit((char)json[at + 1])))
        {
            return false;
        }

        at++;
        return true;
    }

    // A non-negative int written as we write it: digits, no leading zero, no fraction or exponent.
    private static bool Counter(ReadOnlySpan<byte> json, ref int at, out int value)
    {
        value = 0;
        var digits = json[at..];
        var length = digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9');
        if (length is <= 0 or > 10 || (length > 1 && digits[0] == (byte)'0')
            || !Utf8Parser.TryParse(digits[..length], out value, out _) || digits[length] is (byte)'.' or (byte)'e' or (byte)'E')
        {
            return false;
        }

        at += length;
        return true;
    }

    // A number from 0 to 100. `canonical` says whether its text is what JobJsonConverter writes for its value.
    private static bool Percent(ReadOnlySpan<byte> json, ref int at, out double percent, out bool canonical)
    {
        percent = 0;
        canonical = false;
        var start = at;

        // The common case, a whole percentage as we write it ("40.0"), without a floating-point parse.
        var whole = json[at..].IndexOfAnyExceptInRange((byte)'0', (byte)'9');
        if (whole is 1 or 2 or 3 && (whole == 1 || json[at] != (byte)'0') && json[(at + whole)..].StartsWith(".0"u8)
            && (at + whole + 2 >= json.Length || (!char.IsAsciiDigit((char)json[at + whole + 2]) && json[at + whole + 2] is not ((byte)'e' or (byte)'E')))
            && Utf8Parser.TryParse(json.Slice(at, whole), out int integral, out _) && integral <= 100)
        {
            percent = integral;
            canonical = true;
            at += whole + 2;
            return true;
        }

        if (!Number(json, ref at) || !double.TryParse(json[start..at], NumberStyles.Float, CultureInfo.InvariantCulture, out percent) || percent is not (>= 0 and <= 100))
        {
            return false;
        }

        // What JobJsonConverter.WritePercent writes: its own text for a whole number, the JSON writer's (the shortest
        // text that reads back as the same double) for any other.
        Span<byte> written = stackalloc byte[32];
        if (!JobJsonConverter.TryFormatWholePercent(percent, written, out var length))
        {
            percent.TryFormat(written, out length, default, CultureInfo.InvariantCulture);
        }

        canonical = written[..length].SequenceEqual(json[start..at]);
        return true;
    }

    // A JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
    private static bool Number(ReadOnlySpan<byte> json, ref int at)
    {
        var i = at;
        if (i < json.Length && json[i] == (byte)'-')
        {
            i++;
        }

        var integer = Digits(json, ref i);
        if (integer == 0 || (integer > 1 && json[i - integer] == (byte)'0'))
        {
            return false;
        }

        if (i < json.Length && json[i] == (byte)'.')
        {
            i++;
            if (Digits(json, ref i) == 0)
            {
                return false;
            }
        }

        if (i < json.Length && json[i] is (byte)'e' or (byte)'E')
        {
            i++;
            if (i < json.Length && json[i] is (byte)'+' or (byte)'-')
            {
                i++;
            }

            if (Digits(json, ref i) == 0)
            {
                return false;
            }
        }

        at = i;
        return true;
    }

    private static int Digits(ReadOnlySpan<byte> json, ref int at)
    {
        var rest = json[at..];
        var count = rest.IndexOfAnyExceptInRange((byte)'0', (byte)'9');
        count = count < 0 ? rest.Length : count;
        at += count;
        return count;
    }
}
