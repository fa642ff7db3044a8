using System.Text.Json;

namespace Ergate;

/// <summary>
/// The JSON conventions Ergate uses for step values (inputs, return values, user contexts).
/// </summary>
public static class ErgateJson
{
    /// <summary>
    /// The default options for step values: snake_case property names (Python Ergate's convention), read
    /// case-insensitively, numbers also from strings.
    /// </summary>
    public static readonly JsonSerializerOptions DefaultOptions = CreateFrozenDefaultOptions();

    /// <summary>Creates a fresh, unfrozen copy of <see cref="DefaultOptions"/> to customise.</summary>
    /// <returns>New options.</returns>
    public static JsonSerializerOptions CreateDefaultOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
        };
        return options;
    }

    private static JsonSerializerOptions CreateFrozenDefaultOptions()
    {
        var options = CreateDefaultOptions();
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
