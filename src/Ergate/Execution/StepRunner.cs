using System.Diagnostics;
using System.Text.Json;
using Ergate.Binding;
using Ergate.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Ergate;

/// <summary>
/// Runs ONE step of one job: the single place where Ergate's step semantics live (conformance README §6). It
/// picks the input, runs the step in a DI scope of its own, and turns its outcome (a return, <see cref="GoToStep"/>,
/// <see cref="GoToEnd"/>, <see cref="AbortJob"/>, any other exception) into the job's next state with Ergate's
/// progress arithmetic. It touches no queue and no store.
/// </summary>
public sealed class StepRunner
{
    private readonly WorkflowRegistry _registry;
    private readonly IServiceScopeFactory _scopes;
    private readonly IServiceProvider _services;
    private readonly JsonSerializerOptions _serializerOptions;

    /// <summary>Creates the runner.</summary>
    /// <param name="registry">The workflows.</param>
    /// <param name="services">The root services, from which a scope is created per step run.</param>
    /// <param name="options">The engine options.</param>
    public StepRunner(WorkflowRegistry registry, IServiceProvider services, IOptions<ErgateOptions> options)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        _registry = registry;
        _services = services;
        _scopes = services.GetRequiredService<IServiceScopeFactory>();
        _serializerOptions = options.Value.SerializerOptions;
    }

    /// <summary>
    /// Runs the job's current step and returns its next state. Never throws for anything the step or the job's data
    /// does: an unknown workflow or an out-of-range step index fails the job with <see cref="Job.Error"/> set.
    /// </summary>
    /// <param name="job">The job as delivered; it is not modified.</param>
    /// <param name="cancellationToken">
    /// The step's token. When it is cancelled and the step throws <see cref="OperationCanceledException"/>, the job
    /// ends <see cref="JobStatus.Cancelled"/> rather than failed.
    /// </param>
    /// <returns>The job's next state.</returns>
    public ValueTask<StepResult> RunAsync(Job job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        return RunAsync(job, inPlace: false, cancellationToken);
    }

    // With inPlace the job itself becomes the next state (the processor owns it and has stored what it needed):
    // one copy less per step.
    internal async ValueTask<StepResult> RunAsync(Job job, bool inPlace, CancellationToken cancellationToken)
    {
        var next = inPlace ? job : job.Clone();
        next.Status = JobStatus.Running;
        var workflow = _registry.FindRegistered(job.WorkflowName);
        if (workflow is null)
        {
            return Fail(next, new UnknownWorkflowException(job.WorkflowName));
        }

        var steps = workflow.Steps;
        var current = job.CurrentStep;
        if (current >= steps.Length)
        {
            return Fail(next, new StepIndexOutOfRangeException(job.WorkflowName, current, steps.Length));
        }

        var step = steps[current];
        if (job.ErgateStep is { } expected && !string.Equals(expected, step.Step.Name, StringComparison.Ordinal))
        {
            return Fail(next, new WorkflowChangedException(job.WorkflowName, current, expected, step.Step.Name));
        }

        var input = job.StepsCompleted == 0 ? job.InitialInput : job.LastReturn;
        // Timed only while someone listens to the histogram: two clock reads per step otherwise spent for nothing.
        var started = ErgateInstruments.StepDuration.Enabled ? Stopwatch.GetTimestamp() : 0;
        try
        {
            JobValue value;
            if (step.UsesServices)
            {
                var scope = _scopes.CreateAsyncScope();
                await using (scope.ConfigureAwait(false))
                {
                    value = await step.InvokeAsync(new StepCall(input, job.Context, scope.ServiceProvider, cancellationToken)).ConfigureAwait(false);
                }
            }
            else
            {
                value = await step.InvokeAsync(new StepCall(input, job.Context, _services, cancellationToken)).ConfigureAwait(false);
            }

            // A normal return from the last step always completes the job (README §8.4: Python would re-queue a job
            // whose last step has no next hint and crash on its next delivery).
            var remaining = current == steps.Length - 1
                ? 1
                : workflow.Progress.LongestNext(current) ?? (steps.Length - current + 1);
            Complete(next, current + 1, value, job.StepsCompleted + remaining, workflow);
            return new StepResult(next, null);
        }
        catch (GoToStep goTo)
        {
            var target = workflow.Workflow.FindStep(goTo.StepName);
            if (target is null)
            {
                return Fail(next, new UnknownStepException(job.WorkflowName, step.Step.Name, goTo.StepName));
            }

            if (target.Index <= current)
            {
                return Fail(next, new ReverseGoToException(job.WorkflowName, step.Step.Name, goTo.StepName));
            }

            var remaining = workflow.Progress.LongestGoTo(current, target.Index) ?? (steps.Length - current);
            Complete(next, target.Index, StepBinder.WriteObject(goTo.ReturnValue, _serializerOptions), job.StepsCompleted + remaining, workflow);
            return new StepResult(next, null);
        }
        catch (GoToEnd end)
        {
            Complete(next, job.StepsCompleted, StepBinder.WriteObject(end.ReturnValue, _serializerOptions), job.StepsCompleted + 1, workflow);
            return new StepResult(next, null);
        }
        catch (AbortJob abort)
        {
            next.Status = JobStatus.Aborted;
            return new StepResult(next, abort);
        }
        catch (OperationCanceledException cancelled) when (cancellationToken.IsCancellationRequested)
        {
            next.Status = JobStatus.Cancelled;
            return new StepResult(next, cancelled);
        }
        catch (Exception exception)
        {
            return Fail(next, exception);
        }
        finally
        {
            if (started != 0)
            {
                ErgateInstruments.StepDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
    }

    /// <summary>Describes an exception the way a failed job's <see cref="Job.Error"/> stores it: type and message, no stack trace.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>The description.</returns>
    public static string DescribeError(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return $"{exception.GetType().Name}: {exception.Message}";
    }

    private static StepResult Fail(Job next, Exception exception)
    {
        next.Status = JobStatus.Failed;
        next.Error = DescribeError(exception);
        return new StepResult(next, exception);
    }

    // Ergate's complete(n, value, total), plus the name of the step that runs next (DESIGN §4.8).
    private static void Complete(Job job, int currentStep, JobValue value, int total, RegisteredWorkflow workflow)
    {
        var stepsCompleted = Math.Min(job.StepsCompleted + 1, total);
        job.CurrentStep = currentStep;
        job.StepsCompleted = stepsCompleted;
        job.PercentCompleted = (double)stepsCompleted / total * 100;
        job.Status = stepsCompleted == total ? JobStatus.Completed : JobStatus.Queued;
        job.LastReturn = value;
        job.ErgateStep = job.Status == JobStatus.Queued && currentStep < workflow.Steps.Length ? workflow.Steps[currentStep].Step.Name : null;
    }
}
