using System.Text.Json.Serialization;

namespace Ergate.Benchmarks.Floor;

/// <summary>Source-generated JSON for <see cref="FloorJob"/>, with snake_case names like Ergate's.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(FloorJob))]
internal sealed partial class FloorJsonContext : JsonSerializerContext;
