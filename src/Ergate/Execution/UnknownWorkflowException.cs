namespace Ergate;

/// <summary>A job names a workflow that is not registered here. The job fails with this reason.</summary>
public sealed class UnknownWorkflowException : ErgateException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="workflowName">The name the job gave.</param>
    public UnknownWorkflowException(string workflowName)
        : base($"No workflow named '{workflowName}' is registered; register it with AddWorkflow, or check the job's workflow_name.")
    {
        WorkflowName = workflowName;
    }

    /// <summary>The name the job gave.</summary>
    public string WorkflowName { get; }
}
