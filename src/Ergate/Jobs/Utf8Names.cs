using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace Ergate;

/// <summary>
/// The strings of names that recur in every job read (workflow and step names), each made once: reading a job then
/// allocates no string for them. Bounded, so data full of made-up names cannot grow it without end.
/// </summary>
/// <remarks>
/// A name read again is mostly one of the few read just before (one workflow's jobs follow each other in a queue), so
/// a small table of recently read names, compared byte for byte, answers before the name is decoded and hashed.
/// </remarks>
internal static class Utf8Names
{
    private const int MaxNames = 4096;
    private const int MaxLength = 256;

    // A power of two: the recent table is indexed by a mask.
    private const int RecentSlots = 16;

    private static readonly ConcurrentDictionary<string, Known> Names = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, Known>.AlternateLookup<ReadOnlySpan<char>> ByChars =
        Names.GetAlternateLookup<ReadOnlySpan<char>>();

    // Entries of Names, each in the slot its length and last byte pick; a slot is overwritten by the next name that
    // maps to it. Entries are immutable and shared with Names, so replacing one allocates nothing and a racing reader
    // sees either entry whole.
    private static readonly Known?[] Recent = new Known?[RecentSlots];

    /// <summary>The string token the reader is on (the data was checked to be valid UTF-8).</summary>
    public static string GetString(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence)
        {
            return reader.GetString()!;
        }

        return GetString(reader.ValueSpan);
    }

    /// <summary>
    /// The string of unescaped UTF-8 text, which must have been checked to be valid: the recent table matches bytes,
    /// and only valid UTF-8 decodes to one string from one byte sequence.
    /// </summary>
    public static string GetString(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var slot = utf8.IsEmpty ? 0 : ((utf8.Length * 7) + utf8[^1]) & (RecentSlots - 1);
        if (Volatile.Read(ref Recent[slot]) is { } recent && utf8.SequenceEqual(recent.Utf8))
        {
            return recent.Name;
        }

        // Sized to the name (UTF-8 never has fewer bytes than UTF-16 has chars): a stack buffer is zeroed, and names
        // are far shorter than the limit.
        Span<char> buffer = stackalloc char[utf8.Length];
        var chars = buffer[..Encoding.UTF8.GetChars(utf8, buffer)];
        if (!ByChars.TryGetValue(chars, out var known))
        {
            var name = chars.ToString();
            if (Names.Count >= MaxNames)
            {
                return name;
            }

            known = Names.GetOrAdd(name, static (name, utf8) => new Known(name, utf8), utf8.ToArray());
        }

        Volatile.Write(ref Recent[slot], known);
        return known.Name;
    }

    // A name and its UTF-8 bytes (as read: the bytes it was first decoded from).
    private sealed class Known(string name, byte[] utf8)
    {
        public string Name { get; } = name;

        public byte[] Utf8 { get; } = utf8;
    }
}
