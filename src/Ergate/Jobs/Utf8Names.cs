using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace Ergate;

/// <summary>
/// The strings of names that recur in every job read (workflow and step names), each made once: reading a job then
/// allocates no string for them. Bounded, so data full of made-up names cannot grow it without end.
/// </summary>
internal static class Utf8Names
{
    private const int MaxNames = 4096;
    private const int MaxLength = 256;

    private static readonly ConcurrentDictionary<string, string> Names = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> ByChars =
        Names.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The string token the reader is on (the data was checked to be valid UTF-8).</summary>
    public static string GetString(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence)
        {
            return reader.GetString()!;
        }

        return GetString(reader.ValueSpan);
    }

    /// <summary>The string of unescaped UTF-8 text (checked to be valid).</summary>
    public static string GetString(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        // Sized to the name (UTF-8 never has fewer bytes than UTF-16 has chars): a stack buffer is zeroed, and names
        // are far shorter than the limit.
        Span<char> buffer = stackalloc char[utf8.Length];
        var chars = buffer[..Encoding.UTF8.GetChars(utf8, buffer)];
        if (ByChars.TryGetValue(chars, out var name))
        {
            return name;
        }

        name = chars.ToString();
        return Names.Count < MaxNames ? Names.GetOrAdd(name, name) : name;
    }
}
