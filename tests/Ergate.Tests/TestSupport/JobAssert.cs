namespace Ergate.Tests.TestSupport;

/// <summary>Field-by-field comparison of jobs, JSON values compared by value.</summary>
internal static class JobAssert
{
    public static void Equal(Job expected, Job actual)
    {
        JsonAssert.ValueEqual(expected.Id, actual.Id);
        Assert.Equal(expected.WorkflowName, actual.WorkflowName);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.CurrentStep, actual.CurrentStep);
        Assert.Equal(expected.StepsCompleted, actual.StepsCompleted);
        Assert.Equal(expected.PercentCompleted, actual.PercentCompleted);
        JsonAssert.ValueEqual(expected.InitialInputValue, actual.InitialInputValue);
        JsonAssert.ValueEqual(expected.LastReturnValue, actual.LastReturnValue);
        JsonAssert.ValueEqual(expected.UserContext, actual.UserContext);
        Assert.Equal(expected.RequestedStartTime, actual.RequestedStartTime);
        Assert.Equal(expected.Error, actual.Error);
        Assert.Equal(expected.ErgateKey, actual.ErgateKey);
        if (expected.ExtensionData is null || expected.ExtensionData.Count == 0)
        {
            Assert.True(actual.ExtensionData is null || actual.ExtensionData.Count == 0, "Unexpected extension data.");
            return;
        }

        Assert.NotNull(actual.ExtensionData);
        Assert.Equal(expected.ExtensionData.Keys.Order(StringComparer.Ordinal), actual.ExtensionData.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, value) in expected.ExtensionData)
        {
            JsonAssert.ValueEqual(value, actual.ExtensionData[name]);
        }
    }
}
