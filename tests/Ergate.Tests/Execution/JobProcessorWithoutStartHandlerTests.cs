namespace Ergate.Tests.Execution;

/// <summary>
/// <see cref="JobProcessorTests"/> without a JOB_RUN_START handler: with the in-memory store (which refuses RUNNING over
/// CANCELLING and says so) a job's first delivery stores RUNNING without reading the job first.
/// </summary>
public sealed class JobProcessorWithoutStartHandlerTests : JobProcessorTests
{
    protected override bool AnnouncesStart => false;
}
