using System.Text.Json;
using Json.Schema;

namespace Ergate.Tests.TestSupport;

/// <summary>
/// Validates job JSON against the reference model's schema (conformance README §7), with format assertions off:
/// the reference also writes <c>requested_start_time</c> without an offset. The schema is read as draft 2020-12.
/// </summary>
internal static class JobSchemaValidator
{
    private static readonly Lazy<JsonSchema> Schema = new(Load);

    /// <summary>The validation errors of <paramref name="json"/>, as "location: message" lines; empty when valid.</summary>
    public static IReadOnlyList<string> Errors(string json)
    {
        using var document = JsonDocument.Parse(json);
        var results = Schema.Value.Evaluate(
            document.RootElement,
            new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = false });
        if (results.IsValid)
        {
            return [];
        }

        var errors = new List<string>();
        Collect(results, errors);
        if (errors.Count == 0)
        {
            errors.Add("invalid (no error details)");
        }

        return errors;
    }

    public static void AssertValid(string json)
    {
        var errors = Errors(json);
        Assert.True(errors.Count == 0, $"Job JSON does not match job.schema.json:\n{string.Join('\n', errors)}\nJSON: {json}");
    }

    private static void Collect(EvaluationResults results, List<string> errors)
    {
        if (results.Errors is { } own)
        {
            foreach (var (keyword, message) in own)
            {
                errors.Add($"{results.InstanceLocation} ({keyword}): {message}");
            }
        }

        if (results.Details is { } details)
        {
            foreach (var detail in details)
            {
                Collect(detail, errors);
            }
        }
    }

    private static JsonSchema Load()
    {
        var path = RepositoryPaths.JobSchema;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The job schema '{path}' does not exist; put shared/ beside the repository.", path);
        }

        // pydantic's model_json_schema() writes draft 2020-12 (no $schema keyword); JsonSchema.Net 8 would otherwise
        // build with its default dialect (JSON Schema v1), whose 'format' asserts.
        return JsonSchema.FromText(File.ReadAllText(path), new BuildOptions { Dialect = Dialect.Draft202012 });
    }
}
