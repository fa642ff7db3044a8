namespace Ergate;

/// <summary>A step threw <see cref="GoToStep"/> naming a step its workflow does not have. The job fails.</summary>
public sealed class UnknownStepException : ErgateException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="workflowName">The workflow.</param>
    /// <param name="stepName">The step that threw.</param>
    /// <param name="targetName">The unknown target.</param>
    public UnknownStepException(string workflowName, string stepName, string targetName)
        : base($"Workflow '{workflowName}', step '{stepName}': GoToStep target '{targetName}' is not a step of this workflow.")
    {
        WorkflowName = workflowName;
        StepName = stepName;
        TargetName = targetName;
    }

    /// <summary>The workflow.</summary>
    public string WorkflowName { get; }

    /// <summary>The step that threw.</summary>
    public string StepName { get; }

    /// <summary>The unknown target.</summary>
    public string TargetName { get; }
}
