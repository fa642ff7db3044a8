using System.Text.Json;
using Ergate.Conformance.Tests.Comparison;

namespace Ergate.Conformance.Tests.Cases;

/// <summary>Builds real <see cref="Workflow"/>s from a case's declarative steps (README §1–2).</summary>
public static class CaseWorkflowFactory
{
    public static IReadOnlyList<Workflow> Build(ConformanceCase conformanceCase) =>
        conformanceCase.Workflows.Select(BuildWorkflow).ToArray();

    private static Workflow BuildWorkflow(JsonElement spec)
    {
        var workflow = new Workflow(spec.GetProperty("name").GetString()!);
        foreach (var step in spec.GetProperty("steps").EnumerateArray())
        {
            var action = step.GetProperty("action").Clone();
            var paths = step.GetProperty("paths");
            workflow.Step(
                step.GetProperty("name").GetString()!,
                ([StepInput] JsonElement input, [UserContext] JsonElement context) => Run(action, input, context),
                paths.ValueKind == JsonValueKind.Null ? null : paths.EnumerateArray().Select(ToPath).ToArray(),
                returnsValue: step.GetProperty("returns").GetString() == "value");
        }

        return workflow;
    }

    private static StepPath ToPath(JsonElement hint) => hint.GetProperty("kind").GetString() switch
    {
        "next" => StepPath.Next,
        "end" => StepPath.End,
        "goto" => StepPath.GoTo(hint.GetProperty("step").GetString()!),
        var kind => throw new InvalidDataException($"Unknown path hint kind '{kind}'."),
    };

    private static JsonElement Run(JsonElement action, JsonElement input, JsonElement context)
    {
        if (action.TryGetProperty("return", out var value))
        {
            return Evaluate(value, input, context);
        }

        if (action.TryGetProperty("goto", out var target))
        {
            var retval = action.TryGetProperty("retval", out var r) ? Evaluate(r, input, context) : JsonValues.Null;
            throw new GoToStep(target.GetString()!, retval);
        }

        if (action.TryGetProperty("end", out _))
        {
            var retval = action.TryGetProperty("retval", out var r) ? Evaluate(r, input, context) : JsonValues.Null;
            throw new GoToEnd(retval);
        }

        if (action.TryGetProperty("abort", out var abort))
        {
            throw new AbortJob(abort.GetString()!);
        }

        if (action.TryGetProperty("fail", out var fail))
        {
            throw new InvalidOperationException(fail.GetString());
        }

        if (action.TryGetProperty("switch", out var cases))
        {
            foreach (var branch in cases.EnumerateObject())
            {
                if (branch.Name != "default" && JsonValueComparer.ValuesEqual(JsonElement.Parse(branch.Name), input))
                {
                    return Run(branch.Value, input, context);
                }
            }

            return Run(cases.GetProperty("default"), input, context);
        }

        throw new InvalidDataException($"Unknown action {action.GetRawText()}.");
    }

    private static JsonElement Evaluate(JsonElement expression, JsonElement input, JsonElement context)
    {
        if (expression.ValueKind == JsonValueKind.Null)
        {
            return JsonValues.Null;
        }

        if (expression.ValueKind == JsonValueKind.String)
        {
            return expression.GetString() switch
            {
                "input" => input,
                "context" => context,
                var other => throw new InvalidDataException($"Unknown value expression '{other}'."),
            };
        }

        if (expression.TryGetProperty("const", out var constant))
        {
            return constant;
        }

        if (expression.TryGetProperty("add", out var addend))
        {
            if (input.ValueKind != JsonValueKind.Number)
            {
                throw new InvalidOperationException("add: the input is not a number.");
            }

            return input.TryGetInt64(out var left) && addend.TryGetInt64(out var right)
                ? JsonValues.From(left + right)
                : JsonValues.From(input.GetDouble() + addend.GetDouble());
        }

        throw new InvalidDataException($"Unknown value expression {expression.GetRawText()}.");
    }
}
