namespace Ergate;

/// <summary>
/// A step asked to go to itself or to an earlier step (Python Ergate's <c>ReverseGoToError</c>). The job fails.
/// </summary>
public sealed class ReverseGoToException : ErgateException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="workflowName">The workflow.</param>
    /// <param name="stepName">The step that asked.</param>
    /// <param name="targetName">The target it named.</param>
    public ReverseGoToException(string workflowName, string stepName, string targetName)
        : base($"Workflow '{workflowName}', step '{stepName}': GoToStep target '{targetName}' is not after this step; GoToStep may only jump forward.")
    {
        WorkflowName = workflowName;
        StepName = stepName;
        TargetName = targetName;
    }

    /// <summary>The workflow.</summary>
    public string WorkflowName { get; }

    /// <summary>The step that asked.</summary>
    public string StepName { get; }

    /// <summary>The target it named.</summary>
    public string TargetName { get; }
}
