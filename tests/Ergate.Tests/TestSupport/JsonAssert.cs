using System.Text.Json;

namespace Ergate.Tests.TestSupport;

/// <summary>Compares JSON by value (member order and number spelling do not matter), as Python's json.loads would.</summary>
internal static class JsonAssert
{
    public static void ValueEqual(string expected, string actual)
    {
        using var expectedDocument = JsonDocument.Parse(expected);
        using var actualDocument = JsonDocument.Parse(actual);
        Assert.True(
            JsonElement.DeepEquals(expectedDocument.RootElement, actualDocument.RootElement),
            $"JSON values differ.\nExpected: {expected}\nActual:   {actual}");
    }

    public static void ValueEqual(JsonElement expected, JsonElement actual)
    {
        Assert.True(
            JsonElement.DeepEquals(expected, actual),
            $"JSON values differ.\nExpected: {expected.GetRawText()}\nActual:   {actual.GetRawText()}");
    }

    public static void ValueEqual(string expected, JsonElement actual)
    {
        using var expectedDocument = JsonDocument.Parse(expected);
        ValueEqual(expectedDocument.RootElement, actual);
    }
}
