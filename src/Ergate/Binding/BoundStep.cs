namespace Ergate.Binding;

/// <summary>A step with its arguments binder and result serializer compiled once, at start-up.</summary>
internal sealed class BoundStep
{
    private readonly Func<StepCall, ValueTask<JobValue>> _invoke;

    public BoundStep(WorkflowStep step, Func<StepCall, ValueTask<JobValue>> invoke, bool usesServices)
    {
        Step = step;
        _invoke = invoke;
        UsesServices = usesServices;
    }

    public WorkflowStep Step { get; }

    /// <summary>Whether the step asks for services, so a DI scope must be created for its run.</summary>
    public bool UsesServices { get; }

    public ValueTask<JobValue> InvokeAsync(StepCall call) => _invoke(call);
}
