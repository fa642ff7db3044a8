using Ergate.Binding;

namespace Ergate;

/// <summary>A validated workflow with its steps bound and its progress table computed.</summary>
internal sealed class RegisteredWorkflow
{
    public RegisteredWorkflow(Workflow workflow, BoundStep[] steps)
    {
        Workflow = workflow;
        Steps = steps;
        Progress = new ProgressTable(workflow);
    }

    public Workflow Workflow { get; }

    public BoundStep[] Steps { get; }

    public ProgressTable Progress { get; }
}
