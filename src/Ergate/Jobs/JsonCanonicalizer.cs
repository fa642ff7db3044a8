using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Ergate.Jobs;

// Writes a JSON value in the RFC 8785 JSON Canonicalization Scheme (JCS) form, so that two spellings of
// the same value (member order, whitespace, escapes, 1 vs 1.0 vs 1e0) give the same text, and so the same
// bytes and hash once encoded as UTF-8. The rules are the RFC's: no whitespace; object members sorted by
// name as arrays of UTF-16 code units; strings escaped as ECMAScript JSON.stringify escapes them; numbers
// as IEEE-754 doubles written as ECMAScript Number.prototype.toString writes them.
internal static class JsonCanonicalizer
{
    private const string HexDigits = "0123456789abcdef";

    // 2^53: every integral double below this is exactly a long, and ECMAScript writes it as its plain digits.
    private const double ExactIntegerLimit = 9007199254740992d;

    // The longest raw number text quoted in an error message.
    private const int MaxQuotedNumberLength = 40;

    /// <summary>Returns the RFC 8785 canonical JSON text of <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentException">The element is <see cref="JsonValueKind.Undefined"/>.</exception>
    /// <exception cref="FormatException">The value has no canonical form: a number too large for a double,
    /// a string or member name with a lone surrogate, or an object with two members of the same name.</exception>
    public static string Canonicalize(JsonElement value)
    {
        // Fast path for the common id, already canonical as written.
        if (value.ValueKind != JsonValueKind.Undefined && TryGetCanonicalText(JsonMarshal.GetRawUtf8Value(value)) is { } text)
        {
            return text;
        }

        var builder = new StringBuilder();
        Canonicalize(value, builder);
        return builder.ToString();
    }

    /// <summary>Appends the RFC 8785 canonical JSON text of <paramref name="value"/> to
    /// <paramref name="destination"/>. On an exception, part of the text may have been appended.</summary>
    public static void Canonicalize(JsonElement value, StringBuilder destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (value.ValueKind == JsonValueKind.Undefined)
        {
            throw new ArgumentException("The JsonElement is Undefined (default); it holds no JSON value to canonicalize.", nameof(value));
        }

        WriteValue(value, destination);
    }

    // The text itself when it is already canonical and obviously so: a string of printable ASCII without escapes, or
    // an integer of at most 15 digits without a leading zero (JCS writes both exactly as they are). Anything else is
    // left to the general path. Most ids are like this, and reading them this way makes no document and no copy.
    public static string? TryGetCanonicalText(ReadOnlySpan<byte> json) =>
        IsPlainlyCanonical(json) ? Encoding.ASCII.GetString(json) : null;

    // Whether TryGetCanonicalText takes the text as it is (so the key is these bytes, all printable ASCII).
    public static bool IsPlainlyCanonical(ReadOnlySpan<byte> json)
    {
        if (json.Length >= 2 && json[0] == (byte)'"')
        {
            return PlainJsonText.IsPlainString(json);
        }

        var digits = json.Length > 0 && json[0] == (byte)'-' ? json[1..] : json;
        return digits.Length is > 0 and <= 15
            && !digits.ContainsAnyExceptInRange((byte)'0', (byte)'9')
            && (digits[0] != (byte)'0' || json.Length == 1);
    }

    private static void WriteValue(JsonElement value, StringBuilder output)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(value, output);
                break;
            case JsonValueKind.Array:
                WriteArray(value, output);
                break;
            case JsonValueKind.String:
                WriteString(ReadString(value), output);
                break;
            case JsonValueKind.Number:
                WriteNumber(value, output);
                break;
            case JsonValueKind.True:
                output.Append("true");
                break;
            case JsonValueKind.False:
                output.Append("false");
                break;
            case JsonValueKind.Null:
                output.Append("null");
                break;
            default:
                throw new ArgumentException($"A JsonElement of kind {value.ValueKind} holds no JSON value to canonicalize.", nameof(value));
        }
    }

    private static void WriteObject(JsonElement value, StringBuilder output)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        int count = value.GetPropertyCount();
        if (count == 0)
        {
            output.Append("{}");
            return;
        }

        var names = new string[count];
        var values = new JsonElement[count];
        int index = 0;
        foreach (JsonProperty property in value.EnumerateObject())
        {
            names[index] = ReadName(property);
            values[index] = property.Value;
            index++;
        }

        // StringComparer.Ordinal compares strings as sequences of UTF-16 code units, which is the JCS order
        // (so a surrogate pair sorts by its high surrogate, before U+E000..U+FFFF).
        Array.Sort(names, values, StringComparer.Ordinal);
        for (index = 1; index < count; index++)
        {
            if (string.Equals(names[index - 1], names[index], StringComparison.Ordinal))
            {
                throw new FormatException(
                    $"The JSON object has more than one member named \"{names[index]}\"; RFC 8785 needs unique member names (I-JSON).");
            }
        }

        output.Append('{');
        for (index = 0; index < count; index++)
        {
            if (index > 0)
            {
                output.Append(',');
            }

            WriteString(names[index], output);
            output.Append(':');
            WriteValue(values[index], output);
        }

        output.Append('}');
    }

    private static void WriteArray(JsonElement value, StringBuilder output)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        output.Append('[');
        bool first = true;
        foreach (JsonElement item in value.EnumerateArray())
        {
            if (!first)
            {
                output.Append(',');
            }

            first = false;
            WriteValue(item, output);
        }

        output.Append(']');
    }

    private static string ReadString(JsonElement value)
    {
        try
        {
            return value.GetString() ?? string.Empty;
        }
        catch (InvalidOperationException exception) when (exception is not ObjectDisposedException)
        {
            throw new FormatException("A JSON string is not valid Unicode (it has a lone surrogate), so it has no RFC 8785 canonical form.", exception);
        }
    }

    private static string ReadName(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException exception) when (exception is not ObjectDisposedException)
        {
            throw new FormatException("A JSON member name is not valid Unicode (it has a lone surrogate), so it has no RFC 8785 canonical form.", exception);
        }
    }

    // ECMAScript JSON.stringify escaping: the two-character escapes for " \ and five controls, \u00xx with
    // lowercase hex for the other controls, everything else (DEL, '/', non-ASCII, U+2028/U+2029) as itself.
    private static void WriteString(string text, StringBuilder output)
    {
        output.Append('"');
        int runStart = 0;
        for (int index = 0; index < text.Length; index++)
        {
            char c = text[index];
            if (c >= ' ' && c != '"' && c != '\\')
            {
                continue;
            }

            output.Append(text, runStart, index - runStart);
            switch (c)
            {
                case '"':
                    output.Append("\\\"");
                    break;
                case '\\':
                    output.Append("\\\\");
                    break;
                case '\b':
                    output.Append("\\b");
                    break;
                case '\t':
                    output.Append("\\t");
                    break;
                case '\n':
                    output.Append("\\n");
                    break;
                case '\f':
                    output.Append("\\f");
                    break;
                case '\r':
                    output.Append("\\r");
                    break;
                default:
                    output.Append("\\u00").Append(HexDigits[c >> 4]).Append(HexDigits[c & 0xF]);
                    break;
            }

            runStart = index + 1;
        }

        output.Append(text, runStart, text.Length - runStart);
        output.Append('"');
    }

    private static void WriteNumber(JsonElement value, StringBuilder output)
    {
        // System.Text.Json parses an out-of-range number such as 1e400 to an infinity rather than failing.
        if (!value.TryGetDouble(out double number) || !double.IsFinite(number))
        {
            string raw = value.GetRawText();
            if (raw.Length > MaxQuotedNumberLength)
            {
                raw = string.Concat(raw.AsSpan(0, MaxQuotedNumberLength), "...");
            }

            throw new FormatException(
                $"The JSON number {raw} is outside the range of an IEEE-754 double, so it has no RFC 8785 canonical form.");
        }

        AppendNumber(number, output);
    }

    // ECMAScript Number::toString for a finite double. The shortest digits that round-trip come from .NET's
    // "R" format (shortest round-trip since .NET Core 3.0); only the layout around them differs.
    private static void AppendNumber(double number, StringBuilder output)
    {
        if (Math.Abs(number) < ExactIntegerLimit && Math.Floor(number) == number)
        {
            // Also turns -0 into "0".
            AppendInteger((long)number, output);
            return;
        }

        if (number < 0)
        {
            output.Append('-');
            number = -number;
        }

        Span<char> text = stackalloc char[32];
        if (!number.TryFormat(text, out int length, "R", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("A double's round-trip text did not fit in 32 characters.");
        }

        // The "R" text is d+[.d+][E(+|-)d+]. Collect its digits, and the place of the decimal point as a power
        // of ten: the value is 0.DIGITS x 10^pointPosition.
        Span<char> digits = stackalloc char[32];
        int digitCount = 0;
        int pointPosition = 0;
        bool inFraction = false;
        for (int index = 0; index < length; index++)
        {
            char c = text[index];
            if (char.IsAsciiDigit(c))
            {
                digits[digitCount++] = c;
                if (!inFraction)
                {
                    pointPosition++;
                }
            }
            else if (c == '.')
            {
                inFraction = true;
            }
            else if (c is 'E' or 'e')
            {
                pointPosition += int.Parse(text[(index + 1)..length], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                break;
            }
            else
            {
                throw new InvalidOperationException($"Unexpected round-trip text '{text[..length]}' for a double.");
            }
        }

        int start = 0;
        while (start < digitCount && digits[start] == '0')
        {
            start++;
            pointPosition--;
        }

        int end = digitCount;
        while (end > start && digits[end - 1] == '0')
        {
            end--;
        }

        // In the ECMAScript spec's terms: the value is s x 10^(n - k), s has k digits, none of them trailing zeros.
        ReadOnlySpan<char> s = digits[start..end];
        int k = s.Length;
        int n = pointPosition;
        if (k == 0)
        {
            output.Append('0');
        }
        else if (k <= n && n <= 21)
        {
            output.Append(s).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            output.Append(s[..n]).Append('.').Append(s[n..]);
        }
        else if (-6 < n && n <= 0)
        {
            output.Append("0.").Append('0', -n).Append(s);
        }
        else
        {
            output.Append(s[0]);
            if (k > 1)
            {
                output.Append('.').Append(s[1..]);
            }

            int exponent = n - 1;
            output.Append('e').Append(exponent < 0 ? '-' : '+');
            AppendInteger(Math.Abs(exponent), output);
        }
    }

    private static void AppendInteger(long value, StringBuilder output)
    {
        Span<char> text = stackalloc char[20];
        value.TryFormat(text, out int length, default, CultureInfo.InvariantCulture);
        output.Append(text[..length]);
    }
}
