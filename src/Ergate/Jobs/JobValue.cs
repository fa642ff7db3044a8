using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Ergate;

/// <summary>
/// One JSON value of a job (its id, input, return value or user context), held as the UTF-8 text it was read from
/// or as the <see cref="JsonElement"/> it was set to, each form made from the other only when asked for. A job read
/// from the queue is written back with most values unchanged and bound to steps as typed values, so keeping the text
/// spares a document per value per step; only code that asks a <see cref="Job"/> for a <see cref="JsonElement"/>
/// pays for one. The default value is JSON <c>null</c>.
/// </summary>
/// <remarks>
/// A mutable struct on purpose: <see cref="Job"/> keeps it in a field and <see cref="GetElement"/> caches the parsed
/// element there. Raw text handed in must be one complete, valid JSON value that nobody changes afterwards.
/// <para>
/// Sixteen bytes: one reference and a slice. A job holds four values and is read (and copied for signal handlers)
/// at every step, so the text is kept as the array (or memory manager) it lives in plus an offset and a length rather
/// than as a <see cref="ReadOnlyMemory{T}"/> beside a <see cref="JsonElement"/>, and the rare element goes in a box.
/// </para>
/// </remarks>
internal struct JobValue
{
    // null (JSON null), a byte[] or MemoryManager<byte> holding the text at [_start, _start + _length), or a Parsed.
    private object? _source;
    private int _start;
    private int _length;

    /// <summary>A value from its JSON text (not copied, not validated: the caller read it with a validating reader).</summary>
    public static JobValue FromUtf8(ReadOnlyMemory<byte> utf8)
    {
        if (utf8.Span.SequenceEqual("null"u8))
        {
            return default;
        }

        if (MemoryMarshal.TryGetArray(utf8, out var segment))
        {
            return new JobValue { _source = segment.Array, _start = segment.Offset, _length = segment.Count };
        }

        return MemoryMarshal.TryGetMemoryManager<byte, MemoryManager<byte>>(utf8, out var manager, out var start, out var length)
            ? new JobValue { _source = manager, _start = start, _length = length }
            : new JobValue { _source = utf8.ToArray(), _length = utf8.Length };
    }

    /// <summary>A value from an element (<see cref="JsonValueKind.Undefined"/> counts as null).</summary>
    public static JobValue FromElement(JsonElement element) =>
        element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? default : new JobValue { _source = new Parsed(element, default) };

    /// <summary>Whether the value is JSON null.</summary>
    public readonly bool IsNull => _source is null;

    /// <summary>The value's JSON text: as read, or the element's own text.</summary>
    public readonly ReadOnlySpan<byte> Utf8 => _source switch
    {
        null => "null"u8,
        byte[] array => new ReadOnlySpan<byte>(array, _start, _length),
        Parsed parsed => parsed.Utf8.IsEmpty ? JsonMarshal.GetRawUtf8Value(parsed.Element) : parsed.Utf8.Span,
        _ => ((MemoryManager<byte>)_source).Memory.Span.Slice(_start, _length),
    };

    /// <summary>
    /// Whether <see cref="WriteTo"/> writes <see cref="Utf8"/> as it is: true for text, and for an element that was
    /// never text when writing its tokens gives back its own text (a number, true, false, or a string of printable
    /// ASCII without escapes); false for other elements, whose tokens the writer writes anew (an object's whitespace
    /// dropped, a string's escapes redone).
    /// </summary>
    public readonly bool IsWrittenAsText => _source switch
    {
        Parsed { Utf8.IsEmpty: true } parsed => parsed.Element.ValueKind switch
        {
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => true,
            JsonValueKind.String => PlainJsonText.IsPlainString(JsonMarshal.GetRawUtf8Value(parsed.Element)),
            _ => false,
        },
        _ => true,
    };

    /// <summary>The value as an element, parsed from the text once and then kept.</summary>
    public JsonElement GetElement()
    {
        switch (_source)
        {
            case null:
                return JsonValues.Null;
            case Parsed parsed:
                return parsed.Element;
            default:
                var text = _source is byte[] array
                    ? new ReadOnlyMemory<byte>(array, _start, _length)
                    : ((MemoryManager<byte>)_source).Memory.Slice(_start, _length);
                var element = JsonDocument.Parse(text).RootElement;
                _source = new Parsed(element, text);
                return element;
        }
    }

    /// <summary>Writes the value.</summary>
    public readonly void WriteTo(Utf8JsonWriter writer)
    {
        if (_source is null)
        {
            writer.WriteNullValue();
        }
        else if (_source is Parsed { Utf8.IsEmpty: true } parsed)
        {
            parsed.Element.WriteTo(writer);
        }
        else
        {
            writer.WriteRawValue(Utf8, skipInputValidation: true);
        }
    }

    // An element, and the text it was parsed from if it was (written back as it came).
    private sealed class Parsed(JsonElement element, ReadOnlyMemory<byte> utf8)
    {
        public JsonElement Element { get; } = element;

        public ReadOnlyMemory<byte> Utf8 { get; } = utf8;
    }
}
