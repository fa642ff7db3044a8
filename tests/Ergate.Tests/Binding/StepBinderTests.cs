using System.Text.Json;
using Ergate.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Ergate.Tests.Binding;

public sealed class StepBinderTests
{
    [Fact]
    public async Task Input_SnakeCaseObject_BindsToTypedParameter()
    {
        var workflow = new Workflow("orders");
        workflow.Step("total", (Order order) => order.Quantity * order.UnitPrice);
        await using var engine = EngineHarness.Create(e => e.AddWorkflow(workflow));
        var job = EngineHarness.NewJob("orders", JsonValues.Parse("""{"item_name":"pen","quantity":3,"unit_price":2.5}"""));
        await engine.PutAsync(job);

        await engine.DrainAsync();

        var stored = await engine.StoredAsync(job);
        Assert.Equal(JobStatus.Completed, stored.Status);
        Assert.Equal(7.5, stored.LastReturnValue.GetDouble());
    }

    [Fact]
    public async Task UserContext_AttributedParameter_ReceivesJobContext()
    {
        var workflow = new Workflow("greet");
        workflow.Step("hello", (string name, [UserContext] Customer customer) => $"{customer.Greeting}, {name}");
        await using var engine = EngineHarness.Create(e => e.AddWorkflow(workflow));
        var job = EngineHarness.NewJob("greet", "Ada", userContext: new Customer("Hello"));
        await engine.PutAsync(job);

        await engine.DrainAsync();

        Assert.Equal("Hello, Ada", (await engine.StoredAsync(job)).LastReturnValue.GetString());
    }

    [Fact]
    public async Task Services_ScopedDependency_OneInstancePerStepRunAndDisposedAfter()
    {
        var seen = new List<(Probe A, Probe B)>();
        var workflow = new Workflow("scoped");
        workflow.Step("one", (int x, Probe a, Probe b) =>
        {
            seen.Add((a, b));
            Assert.False(a.IsDisposed);
            return x + 1;
        });
        workflow.Step("two", (int x, Probe a, Probe b) =>
        {
            seen.Add((a, b));
            return x + 1;
        });
        await using var engine = EngineHarness.Create(e => e.AddWorkflow(workflow), s => s.AddScoped<Probe>());
        await engine.PutAsync(EngineHarness.NewJob("scoped", 0));

        await engine.DrainAsync();

        Assert.Equal(2, seen.Count);
        Assert.All(seen, pair => Assert.Same(pair.A, pair.B));
        Assert.NotSame(seen[0].A, seen[1].A);
        Assert.All(seen, pair => Assert.True(pair.A.IsDisposed));
    }

    [Fact]
    public async Task Services_StepThrows_ScopeStillDisposed()
    {
        Probe? used = null;
        var workflow = new Workflow("throws");
        workflow.Step("boom", (Probe probe) =>
        {
            used = probe;
            throw new InvalidOperationException("boom");
        });
        await using var engine = EngineHarness.Create(e => e.AddWorkflow(workflow), s => s.AddScoped<Probe>());
        var job = EngineHarness.NewJob("throws");
        await engine.PutAsync(job);

        await engine.DrainAsync();

        Assert.Equal(JobStatus.Failed, (await engine.StoredAsync(job)).Status);
        Assert.NotNull(used);
        Assert.True(used.IsDisposed);
    }

    [Fact]
    public async Task Services_NestedDependencies_ShareTheStepScope()
    {
        (Outer Outer, Probe Probe)? seen = null;
        var workflow = new Workflow("nested");
        workflow.Step("one", (Outer outer, Probe probe) => seen = (outer, probe));
        await using var engine = EngineHarness.Create(
            e => e.AddWorkflow(workflow),
            s => s.AddScoped<Probe>().AddScoped<Middle>().AddScoped<Outer>());
        await engine.PutAsync(EngineHarness.NewJob("nested"));

        await engine.DrainAsync();

        Assert.NotNull(seen);
        Assert.Same(seen.Value.Probe, seen.Value.Outer.Middle.Probe);
        Assert.True(seen.Value.Outer.Middle.Probe.IsDisposed);
    }

    [Fact]
    public async Task AsyncSteps_TaskOfTAndValueTask_ReturnTheirResults()
    {
        var workflow = new Workflow("async");
        workflow.Step("one", async (int x, CancellationToken token) =>
        {
            await Task.Yield();
            token.ThrowIfCancellationRequested();
            return x + 1;
        });
        workflow.Step("two", (int x) => new ValueTask<int>(x * 10));
        workflow.Step("three", async (int x) => await Task.Yield());
        await using var engine = EngineHarness.Create(e => e.AddWorkflow(workflow));
        var job = EngineHarness.NewJob("async", 1);
        await engine.PutAsync(job);

        var results = await engine.DrainAsync();

        Assert.Equal(3, results.Count);
        Assert.Equal(20, results[1].Job!.LastReturnValue.GetInt32());
        var stored = await engine.StoredAsync(job);
        Assert.Equal(JobStatus.Completed, stored.Status);
        Assert.Equal(JsonValueKind.Null, stored.LastReturnValue.ValueKind);
    }

    [Fact]
    public async Task Input_MutatedByStep_DoesNotChangeTheJob()
    {
        var received = new List<List<int>>();
        var workflow = new Workflow("copies");
        workflow.Step("one", (List<int> items) =>
        {
            received.Add(items);
            items.Add(99);
            return items;
        });
        workflow.Step("two", (List<int> items) =>
        {
            received.Add(items);
            items.Clear();
            return items.Count;
        });
        await using var engine = EngineHarness.Create(e => e.AddWorkflow(workflow));
        var job = EngineHarness.NewJob("copies", new List<int> { 1, 2 });
        await engine.PutAsync(job);

        var results = await engine.DrainAsync();

        var stored = await engine.StoredAsync(job);
        Assert.Equal(new[] { 1, 2, 99 }, EngineHarness.Value<int[]>(results[0].Job!.LastReturnValue));
        Assert.Equal(new[] { 1, 2 }, EngineHarness.Value<int[]>(stored.InitialInputValue));
        Assert.NotSame(received[0], received[1]);
        Assert.Equal(new[] { 1, 2, 99 }, received[0]);
    }

    [Fact]
    public async Task Input_NotReadableAsParameterType_FailsJobWithBindingError()
    {
        var workflow = new Workflow("typed");
        workflow.Step("count", (int x) => x + 1);
        await using var engine = EngineHarness.Create(e => e.AddWorkflow(workflow));
        var job = EngineHarness.NewJob("typed", "not a number");
        await engine.PutAsync(job);

        await engine.DrainAsync();

        var stored = await engine.StoredAsync(job);
        Assert.Equal(JobStatus.Failed, stored.Status);
        Assert.StartsWith("StepBindingException: Workflow 'typed', step 'count': the input cannot be read as Int32", stored.Error);
    }

    [Fact]
    public void Registry_SecondUnboundParameter_ReportedAsDefinitionError()
    {
        var workflow = new Workflow("bad");
        workflow.Step("two_inputs", (int a, int b) => a + b);
        var services = new ServiceCollection().AddLogging();
        services.AddErgate(e => e.AddWorkflow(workflow).UseInMemoryQueue().UseInMemoryStateStore());
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<WorkflowDefinitionException>(() => provider.GetRequiredService<WorkflowRegistry>());

        Assert.Contains("Workflow 'bad', step 'two_inputs': parameter 'b' of type Int32 is not a registered service", error.Message);
    }

    [Theory]
    [InlineData("void", false)]
    [InlineData("int", true)]
    [InlineData("task", false)]
    [InlineData("task-int", true)]
    [InlineData("valuetask", false)]
    public void ReturnsValue_FollowsTheDelegateReturnType(string kind, bool expected)
    {
        var workflow = new Workflow("returns");
        var step = kind switch
        {
            "void" => workflow.Step("s", (int x) => { }),
            "int" => workflow.Step("s", (int x) => x),
            "task" => workflow.Step("s", (int x) => Task.CompletedTask),
            "task-int" => workflow.Step("s", (int x) => Task.FromResult(x)),
            _ => workflow.Step("s", (int x) => ValueTask.CompletedTask),
        };

        Assert.Equal(expected, step.ReturnsValue);
        Assert.Equal(!expected, new Workflow("o").Step("s", step.Handler, returnsValue: !expected).ReturnsValue);
    }

    [Fact]
    public void Step_LambdaWithoutName_ThrowsAskingForOne()
    {
        var workflow = new Workflow("named");

        var error = Assert.Throws<ArgumentException>(() => workflow.Step((int x) => x));

        Assert.Contains("pass one", error.Message);
    }

    [Fact]
    public void Step_MethodGroup_IsNamedAfterTheMethod()
    {
        var workflow = new Workflow("named");

        var step = workflow.Step(Reserve);

        Assert.Equal(nameof(Reserve), step.Name);
    }

    private static int Reserve(int quantity) => quantity;

    public sealed record Order(string ItemName, int Quantity, double UnitPrice);

    public sealed record Customer(string Greeting);

    public sealed class Probe : IDisposable
    {
        public bool IsDisposed { get; private set; }

        public void Dispose() => IsDisposed = true;
    }

    public sealed class Middle(Probe probe)
    {
        public Probe Probe => probe;
    }

    public sealed class Outer(Middle middle)
    {
        public Middle Middle => middle;
    }
}
