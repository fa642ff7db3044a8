using System.Reflection;

namespace Ergate;

/// <summary>
/// One step of a <see cref="Workflow"/>: a function with a name, a position and optional path hints.
/// </summary>
public sealed class WorkflowStep
{
    internal WorkflowStep(Workflow workflow, int index, string name, Delegate handler, IReadOnlyList<StepPath>? paths, bool returnsValue)
    {
        Workflow = workflow;
        Index = index;
        Name = name;
        Handler = handler;
        Paths = paths;
        ReturnsValue = returnsValue;
    }

    /// <summary>The workflow this step belongs to.</summary>
    public Workflow Workflow { get; }

    /// <summary>The step's 0-based position: what <see cref="Job.CurrentStep"/> refers to.</summary>
    public int Index { get; }

    /// <summary>The step's name, unique within its workflow.</summary>
    public string Name { get; }

    /// <summary>The function that runs the step.</summary>
    public Delegate Handler { get; }

    /// <summary>The path hints as registered, or <see langword="null"/> when none were given (not the same as an empty list).</summary>
    public IReadOnlyList<StepPath>? Paths { get; }

    /// <summary>
    /// Whether the step is declared to return a value (Python's return annotation: <c>-&gt; None</c> is
    /// <see langword="false"/>). It only matters for path hints: a value-returning step with hints always has a
    /// <see cref="StepPath.Next"/> hint.
    /// </summary>
    public bool ReturnsValue { get; }

    /// <summary>
    /// The hints the progress estimate uses: <see cref="StepPath.Next"/> alone when none were given; otherwise the
    /// given hints, plus <see cref="StepPath.Next"/> when the step returns a value and none of them is a next hint.
    /// </summary>
    public IReadOnlyList<StepPath> EffectivePaths
    {
        get
        {
            if (Paths is null)
            {
                return [StepPath.Next];
            }

            if (!ReturnsValue || Paths.Any(p => p.Kind == StepPathKind.Next))
            {
                return Paths;
            }

            return [.. Paths, StepPath.Next];
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Workflow.Name}.{Name}";

    internal static bool DeclaresReturnValue(MethodInfo method)
    {
        var type = method.ReturnType;
        return type != typeof(void) && type != typeof(Task) && type != typeof(ValueTask);
    }
}
