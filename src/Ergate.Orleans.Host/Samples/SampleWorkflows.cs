namespace Ergate.Orleans.Host.Samples;

/// <summary>The workflows the host serves out of the box, and the demo runs.</summary>
public static class SampleWorkflows
{
    /// <summary>"sequential": three steps, each adding one to its input.</summary>
    public const string Sequential = "sequential";

    /// <summary>"branching": odd inputs jump over the middle step with GoToStep; multiples of ten end at once with GoToEnd.</summary>
    public const string Branching = "branching";

    /// <summary>"aborting": the second step aborts the job.</summary>
    public const string Aborting = "aborting";

    /// <summary>"failing": the second step throws, so the job fails.</summary>
    public const string Failing = "failing";

    /// <summary>"greeting": a step using a DI service and the job's user context.</summary>
    public const string Greeting = "greeting";

    /// <summary>Creates every sample workflow.</summary>
    /// <returns>The workflows.</returns>
    public static IReadOnlyList<Workflow> All()
    {
        var sequential = new Workflow(Sequential);
        sequential.Step("add_one", (int x) => x + 1);
        sequential.Step("add_two", (int x) => x + 2);
        sequential.Step("add_three", (int x) => x + 3);

        var branching = new Workflow(Branching);
        branching.Step(
            "classify",
            int (int x) => x % 10 == 0 ? throw new GoToEnd(x) : x % 2 == 1 ? throw new GoToStep("finish", x) : x,
            paths: [StepPath.Next, StepPath.GoTo("finish"), StepPath.End]);
        branching.Step("double", (int x) => x * 2);
        branching.Step("finish", (int x) => x + 1000);

        var aborting = new Workflow(Aborting);
        aborting.Step("prepare", (int x) => x);
        aborting.Step("check", int (int x) => throw new AbortJob($"input {x} is not accepted"));
        aborting.Step("never", (int x) => x);

        var failing = new Workflow(Failing);
        failing.Step("prepare", (int x) => x);
        failing.Step("explode", int (int x) => throw new InvalidOperationException("the sample step failed, as it always does"));

        var greeting = new Workflow(Greeting);
        greeting.Step("greet", (int x, [UserContext] Customer customer, IGreeter greeter) => greeter.Greet(customer.Name, customer.Language));
        greeting.Step("shout", (string text) => text.ToUpperInvariant());

        return [sequential, branching, aborting, failing, greeting];
    }
}
