using Ergate.Binding;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Ergate;

/// <summary>
/// The registered workflows, validated and bound once at start-up. Every problem of every definition is
/// reported together in one <see cref="WorkflowDefinitionException"/>.
/// </summary>
public sealed class WorkflowRegistry
{
    private readonly Dictionary<string, RegisteredWorkflow> _workflows;

    /// <summary>Validates and binds the workflows.</summary>
    /// <param name="workflows">The workflows.</param>
    /// <param name="services">The application's services, to tell services from inputs among step parameters; may be null.</param>
    /// <param name="options">The engine options.</param>
    /// <exception cref="WorkflowDefinitionException">A definition is invalid; the message lists every problem.</exception>
    public WorkflowRegistry(IEnumerable<Workflow> workflows, IServiceProviderIsService? services, IOptions<ErgateOptions> options)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        ArgumentNullException.ThrowIfNull(options);
        var serializerOptions = options.Value.SerializerOptions;
        var problems = new List<string>();
        _workflows = new Dictionary<string, RegisteredWorkflow>(StringComparer.Ordinal);
        var seen = new HashSet<Workflow>(ReferenceEqualityComparer.Instance);
        foreach (var workflow in workflows)
        {
            if (!seen.Add(workflow))
            {
                continue;
            }

            if (_workflows.ContainsKey(workflow.Name))
            {
                problems.Add($"Two workflows are named '{workflow.Name}'; workflow names must be unique.");
                continue;
            }

            var definitionProblems = workflow.Validate();
            problems.AddRange(definitionProblems);
            var bound = new BoundStep[workflow.Steps.Count];
            var ok = definitionProblems.Count == 0;
            for (var i = 0; i < bound.Length; i++)
            {
                var step = StepBinder.Bind(workflow.Steps[i], services, serializerOptions, problems);
                ok &= step is not null;
                bound[i] = step!;
            }

            if (ok)
            {
                _workflows.Add(workflow.Name, new RegisteredWorkflow(workflow, bound));
            }
            else
            {
                _workflows.Add(workflow.Name, null!);
            }
        }

        if (problems.Count > 0)
        {
            throw new WorkflowDefinitionException(problems);
        }
    }

    /// <summary>The registered workflows.</summary>
    public IEnumerable<Workflow> Workflows => _workflows.Values.Select(w => w.Workflow);

    /// <summary>Finds a workflow by name.</summary>
    /// <param name="name">The workflow's name.</param>
    /// <returns>The workflow, or <see langword="null"/>.</returns>
    public Workflow? Find(string name) => _workflows.TryGetValue(name, out var workflow) ? workflow.Workflow : null;

    internal RegisteredWorkflow? FindRegistered(string name) => _workflows.GetValueOrDefault(name);
}
