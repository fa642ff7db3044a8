namespace Ergate;

/// <summary>What one step run did to a job.</summary>
/// <param name="Job">The job after the step: the state to store (and to put back unless final).</param>
/// <param name="Exception">The exception that failed, aborted or cancelled the job, if any.</param>
public readonly record struct StepResult(Job Job, Exception? Exception);
