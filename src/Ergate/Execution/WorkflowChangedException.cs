namespace Ergate;

/// <summary>
/// A job in flight was queued for a step that the deployed workflow no longer has at that position (the definition
/// changed under it). The job fails with this reason instead of running the wrong step.
/// </summary>
public sealed class WorkflowChangedException : ErgateException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="workflowName">The workflow.</param>
    /// <param name="stepIndex">The job's current step.</param>
    /// <param name="expectedStep">The step the job was queued for.</param>
    /// <param name="deployedStep">The step deployed at that position.</param>
    public WorkflowChangedException(string workflowName, int stepIndex, string expectedStep, string deployedStep)
        : base($"Workflow '{workflowName}' changed while the job was in flight: it was queued for step '{expectedStep}' at index {stepIndex}, but the deployed workflow has '{deployedStep}' there; the job was not run further.")
    {
        WorkflowName = workflowName;
        StepIndex = stepIndex;
        ExpectedStep = expectedStep;
        DeployedStep = deployedStep;
    }

    /// <summary>The workflow.</summary>
    public string WorkflowName { get; }

    /// <summary>The job's current step.</summary>
    public int StepIndex { get; }

    /// <summary>The step the job was queued for.</summary>
    public string ExpectedStep { get; }

    /// <summary>The step deployed at that position.</summary>
    public string DeployedStep { get; }
}
