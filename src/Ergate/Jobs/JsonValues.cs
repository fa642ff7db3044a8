using System.Text.Json;

namespace Ergate;

/// <summary>
/// Helpers for the arbitrary JSON values a job carries (id, input, return value, user context).
/// </summary>
public static class JsonValues
{
    /// <summary>The JSON <c>null</c> value.</summary>
    public static readonly JsonElement Null = JsonElement.Parse("null");

    /// <summary>Returns <paramref name="value"/>, or <see cref="Null"/> for an undefined (default) element.</summary>
    /// <param name="value">The value.</param>
    /// <returns>A defined element.</returns>
    public static JsonElement OrNull(JsonElement value) => value.ValueKind == JsonValueKind.Undefined ? Null : value;

    /// <summary>Serializes <paramref name="value"/> to a JSON element with the given options.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value; <see langword="null"/> becomes JSON null.</param>
    /// <param name="options">Serializer options; <see langword="null"/> uses <see cref="ErgateJson.DefaultOptions"/>.</param>
    /// <returns>The element.</returns>
    public static JsonElement From<T>(T value, JsonSerializerOptions? options = null) =>
        value is null ? Null : JsonSerializer.SerializeToElement(value, options ?? ErgateJson.DefaultOptions);

    /// <summary>Parses JSON text into an element.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The element.</returns>
    public static JsonElement Parse(string json) => JsonElement.Parse(json);
}
