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
/// </remarks>
internal struct JobValue
{
    private JsonElement _element;
    private ReadOnlyMemory<byte> _utf8;

    /// <summary>A value from its JSON text (not copied, not validated: the caller read it with a validating reader).</summary>
    public static JobValue FromUtf8(ReadOnlyMemory<byte> utf8) =>
        utf8.Span.SequenceEqual("null"u8) ? default : new JobValue { _utf8 = utf8 };

    /// <summary>A value from an element (<see cref="JsonValueKind.Undefined"/> counts as null).</summary>
    public static JobValue FromElement(JsonElement element) =>
        element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? default : new JobValue { _element = element };

    /// <summary>Whether the value is JSON null.</summary>
    public readonly bool IsNull => _utf8.IsEmpty && _element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null;

    /// <summary>The value's JSON text: as read, or the element's own text.</summary>
    public readonly ReadOnlySpan<byte> Utf8 =>
        !_utf8.IsEmpty ? _utf8.Span
        : _element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? "null"u8
        : JsonMarshal.GetRawUtf8Value(_element);

    /// <summary>The value as an element, parsed from the text once and then kept.</summary>
    public JsonElement GetElement()
    {
        if (_element.ValueKind == JsonValueKind.Undefined)
        {
            _element = _utf8.IsEmpty ? JsonValues.Null : JsonDocument.Parse(_utf8).RootElement;
        }

        return _element;
    }

    /// <summary>Writes the value.</summary>
    public readonly void WriteTo(Utf8JsonWriter writer)
    {
        if (!_utf8.IsEmpty)
        {
            writer.WriteRawValue(_utf8.Span, skipInputValidation: true);
        }
        else if (_element.ValueKind is JsonValueKind.Undefined)
        {
            writer.WriteNullValue();
        }
        else
        {
            _element.WriteTo(writer);
        }
    }
}
