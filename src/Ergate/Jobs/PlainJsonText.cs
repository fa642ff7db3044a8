namespace Ergate;

/// <summary>
/// Text that JSON writes as it is: printable ASCII (space to '~') with no quote and no backslash. Such a string's
/// UTF-8 is its characters one byte each, our writer (relaxed escaping) escapes none of it, and its JSON text is those
/// bytes between quotes; the layout reader and writer and the key rules all take this one definition.
/// </summary>
internal static class PlainJsonText
{
    /// <summary>Whether <paramref name="text"/> is plain (null counts as plain: there is nothing to write).</summary>
    public static bool IsPlain(string? text) => text is null || IsPlain(text.AsSpan());

    /// <summary>Whether <paramref name="text"/> is plain.</summary>
    public static bool IsPlain(ReadOnlySpan<char> text) =>
        !text.ContainsAnyExceptInRange((char)0x20, (char)0x7E) && !text.ContainsAny('"', '\\');

    /// <summary>Whether <paramref name="json"/> is a JSON string (quotes included) whose content is plain.</summary>
    public static bool IsPlainString(ReadOnlySpan<byte> json)
    {
        if (json.Length < 2 || json[0] != (byte)'"' || json[^1] != (byte)'"')
        {
            return false;
        }

        var content = json[1..^1];
        return !content.ContainsAnyExceptInRange((byte)0x20, (byte)0x7E) && !content.ContainsAny((byte)'"', (byte)'\\');
    }
}
