namespace Ergate;

/// <summary>
/// A job's <c>current_step</c> is not a step of its workflow (a bad submission, a job delivered again after it
/// completed, or a workflow that lost steps since). The job fails with this reason.
/// </summary>
public sealed class StepIndexOutOfRangeException : ErgateException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="workflowName">The workflow.</param>
    /// <param name="stepIndex">The job's current step.</param>
    /// <param name="stepCount">How many steps the workflow has.</param>
    public StepIndexOutOfRangeException(string workflowName, int stepIndex, int stepCount)
        : base($"Workflow '{workflowName}' has {stepCount} step(s); the job's current_step {stepIndex} is not one of them.")
    {
        WorkflowName = workflowName;
        StepIndex = stepIndex;
        StepCount = stepCount;
    }

    /// <summary>The workflow.</summary>
    public string WorkflowName { get; }

    /// <summary>The job's current step.</summary>
    public int StepIndex { get; }

    /// <summary>How many steps the workflow has.</summary>
    public int StepCount { get; }
}
