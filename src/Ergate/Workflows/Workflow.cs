using System.Runtime.CompilerServices;

namespace Ergate;

/// <summary>
/// A named, ordered list of steps. Step 1 receives the job's initial input; every later step receives the
/// previous step's return value. Register it with <c>AddWorkflow</c>; definitions are validated then.
/// </summary>
/// <example>
/// <code>
/// var orders = new Workflow("order_fulfilment");
/// orders.Step("reserve", (Order o) => Reserve(o));
/// orders.Step("ship", (Reservation r) => r.Id, paths: [StepPath.Next, StepPath.End]);
/// </code>
/// </example>
public sealed class Workflow
{
    private readonly List<WorkflowStep> _steps = [];

    /// <summary>Creates an empty workflow.</summary>
    /// <param name="name">The workflow's unique name, as jobs name it in <c>workflow_name</c>.</param>
    public Workflow(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The workflow's unique name.</summary>
    public string Name { get; }

    /// <summary>The steps in order.</summary>
    public IReadOnlyList<WorkflowStep> Steps => _steps;

    /// <summary>Adds a step at the end.</summary>
    /// <param name="name">The step's name, unique within the workflow.</param>
    /// <param name="handler">
    /// The function: sync or async (<see cref="Task"/>, <see cref="ValueTask"/>). Its parameters bind by kind: the
    /// input value (deserialized to the parameter's type), a <see cref="UserContextAttribute"/> parameter,
    /// services from a scope created for this one step run, and a <see cref="CancellationToken"/>.
    /// </param>
    /// <param name="paths">Path hints (Ergate's <c>paths=</c>); <see langword="null"/> when none.</param>
    /// <param name="returnsValue">
    /// Overrides whether the step counts as returning a value for the path-hint arithmetic (Python's return
    /// annotation). By default <see langword="false"/> for <c>void</c>, <see cref="Task"/> and <see cref="ValueTask"/>.
    /// </param>
    /// <returns>The step, which <see cref="GoToStep"/> can name.</returns>
    public WorkflowStep Step(string name, Delegate handler, IEnumerable<StepPath>? paths = null, bool? returnsValue = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(handler);
        var step = new WorkflowStep(
            this,
            _steps.Count,
            name,
            handler,
            paths?.ToArray(),
            returnsValue ?? WorkflowStep.DeclaresReturnValue(handler.Method));
        _steps.Add(step);
        return step;
    }

    /// <summary>Adds a step named after its method (a method group, not a lambda).</summary>
    /// <param name="handler">The function; see <see cref="Step(string, Delegate, IEnumerable{StepPath}?, bool?)"/>.</param>
    /// <param name="paths">Path hints; <see langword="null"/> when none.</param>
    /// <param name="returnsValue">Overrides the return annotation.</param>
    /// <returns>The step.</returns>
    /// <exception cref="ArgumentException">The handler is a lambda or local function, which has no usable name.</exception>
    public WorkflowStep Step(Delegate handler, IEnumerable<StepPath>? paths = null, bool? returnsValue = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var method = handler.Method;
        if (method.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false) || method.Name.Contains('<', StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"Workflow '{Name}': a lambda has no usable step name; pass one: Step(\"name\", handler).",
                nameof(handler));
        }

        return Step(method.Name, handler, paths, returnsValue);
    }

    /// <summary>
    /// Lists every problem of this definition: no steps, duplicate step names, path hints naming an unknown step,
    /// the step itself or an earlier step.
    /// </summary>
    /// <returns>The problems, each a sentence; empty when the definition is valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (_steps.Count == 0)
        {
            problems.Add($"Workflow '{Name}' has no steps; add at least one.");
        }

        var indexByName = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var step in _steps)
        {
            if (!indexByName.TryAdd(step.Name, step.Index))
            {
                problems.Add($"Workflow '{Name}': step name '{step.Name}' is used more than once; step names must be unique.");
            }
        }

        foreach (var step in _steps)
        {
            foreach (var path in step.Paths ?? [])
            {
                if (path.Kind != StepPathKind.GoTo)
                {
                    continue;
                }

                if (!indexByName.TryGetValue(path.StepName!, out var target))
                {
                    problems.Add($"Workflow '{Name}', step '{step.Name}': path hint GoTo('{path.StepName}') names no step of this workflow.");
                }
                else if (target <= step.Index)
                {
                    problems.Add($"Workflow '{Name}', step '{step.Name}': path hint GoTo('{path.StepName}') is not after this step; GoToStep may only jump forward.");
                }
            }
        }

        return problems;
    }

    /// <summary>Finds a step by name.</summary>
    /// <param name="name">The step's name.</param>
    /// <returns>The step, or <see langword="null"/>.</returns>
    public WorkflowStep? FindStep(string name)
    {
        foreach (var step in _steps)
        {
            if (string.Equals(step.Name, name, StringComparison.Ordinal))
            {
                return step;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
