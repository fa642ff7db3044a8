using System.Globalization;
using System.Text.Json;

namespace Ergate.Conformance.Tests.Comparison;

/// <summary>The value comparison of the conformance README §5.1.</summary>
public static class JsonValueComparer
{
    private static readonly string[] Fields =
    [
        "id", "workflow_name", "status", "current_step", "steps_completed", "percent_completed",
        "initial_input_value", "last_return_value", "user_context", "requested_start_time",
    ];

    /// <summary>Plain JSON values: numbers as doubles with a relative tolerance, objects with the same key set.</summary>
    public static bool ValuesEqual(JsonElement a, JsonElement b)
    {
        switch (a.ValueKind)
        {
            case JsonValueKind.Number:
                return b.ValueKind == JsonValueKind.Number && NumbersEqual(a.GetDouble(), b.GetDouble());
            case JsonValueKind.True:
            case JsonValueKind.False:
            case JsonValueKind.Null:
                return a.ValueKind == b.ValueKind;
            case JsonValueKind.String:
                return b.ValueKind == JsonValueKind.String && a.GetString() == b.GetString();
            case JsonValueKind.Array:
                if (b.ValueKind != JsonValueKind.Array || a.GetArrayLength() != b.GetArrayLength())
                {
                    return false;
                }

                using (var left = a.EnumerateArray())
                using (var right = b.EnumerateArray())
                {
                    while (left.MoveNext() && right.MoveNext())
                    {
                        if (!ValuesEqual(left.Current, right.Current))
                        {
                            return false;
                        }
                    }
                }

                return true;
            case JsonValueKind.Object:
                if (b.ValueKind != JsonValueKind.Object)
                {
                    return false;
                }

                var leftProperties = a.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
                var rightProperties = b.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
                return leftProperties.Count == rightProperties.Count
                    && leftProperties.All(p => rightProperties.TryGetValue(p.Key, out var other) && ValuesEqual(p.Value, other));
            default:
                return false;
        }
    }

    /// <summary>Job objects: the ten Ergate fields must be present and equal; extra keys of the actual job are ignored.</summary>
    public static bool JobsEqual(JsonElement expected, JsonElement actual) => DescribeJobDifference(expected, actual) is null;

    /// <summary>The first difference between two job objects, or null when they are equal.</summary>
    public static string? DescribeJobDifference(JsonElement expected, JsonElement actual)
    {
        foreach (var field in Fields)
        {
            var hasExpected = expected.TryGetProperty(field, out var e);
            var hasActual = actual.TryGetProperty(field, out var a);
            if (!hasExpected || !hasActual)
            {
                return $"field '{field}' is missing from the {(hasExpected ? "actual" : "expected")} job";
            }

            var equal = field == "requested_start_time" ? StartTimesEqual(e, a) : ValuesEqual(e, a);
            if (!equal)
            {
                return $"field '{field}': expected {e.GetRawText()}, got {a.GetRawText()}";
            }
        }

        return null;
    }

    private static bool NumbersEqual(double a, double b) =>
        a == b || Math.Abs(a - b) <= 1e-9 * Math.Max(Math.Abs(a), Math.Abs(b));

    private static bool StartTimesEqual(JsonElement a, JsonElement b)
    {
        if (a.ValueKind == JsonValueKind.String && b.ValueKind == JsonValueKind.String
            && TryParseTime(a.GetString()!, out var left, out var leftHasOffset)
            && TryParseTime(b.GetString()!, out var right, out var rightHasOffset))
        {
            return leftHasOffset == rightHasOffset && left == right;
        }

        return ValuesEqual(a, b);
    }

    private static bool TryParseTime(string text, out DateTimeOffset value, out bool hasOffset)
    {
        hasOffset = text.EndsWith('Z') || (text.Length > 19 && (text[^6] == '+' || text[^6] == '-'));
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }
}
