namespace Ergate;

/// <summary>
/// A step's argument could not be bound at run time, for example the input value cannot be read as the
/// parameter's type. The job fails with this reason.
/// </summary>
public sealed class StepBindingException : ErgateException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="workflowName">The workflow.</param>
    /// <param name="stepName">The step.</param>
    /// <param name="message">What could not be bound.</param>
    /// <param name="innerException">The cause.</param>
    public StepBindingException(string workflowName, string stepName, string message, Exception? innerException = null)
        : base($"Workflow '{workflowName}', step '{stepName}': {message}", innerException)
    {
        WorkflowName = workflowName;
        StepName = stepName;
    }

    /// <summary>The workflow.</summary>
    public string WorkflowName { get; }

    /// <summary>The step.</summary>
    public string StepName { get; }
}
