using System.Text.Json;

namespace Ergate.Tests.Jobs;

public sealed class JobKeysTests
{
    private static Job JobWithId(string idJson) => JobJson.Deserialize($$"""{"id": {{idJson}}, "workflow_name": "w"}""");

    [Theory]
    [InlineData("1.0")]
    [InlineData("1e0")]
    [InlineData("10E-1")]
    [InlineData("1.000")]
    public void GetOrAssign_IntegerAndEqualFloatIds_GiveSameKey(string floatId)
    {
        var integerKey = JobKeys.GetOrAssign(JobWithId("1"));

        var floatKey = JobKeys.GetOrAssign(JobWithId(floatId));

        Assert.Equal("1", integerKey);
        Assert.Equal(integerKey, floatKey);
    }

    [Fact]
    public void GetOrAssign_NumberAndNumericStringIds_GiveDifferentKeys()
    {
        var numberKey = JobKeys.GetOrAssign(JobWithId("1"));
        var stringKey = JobKeys.GetOrAssign(JobWithId("\"1\""));

        Assert.NotEqual(numberKey, stringKey);
        Assert.Equal("\"1\"", stringKey);
    }

    [Fact]
    public void GetOrAssign_DifferentIds_GiveDifferentKeys()
    {
        string[] ids = ["1", "2", "\"1\"", "\"a\"", "\"A\"", "true", "false", "[1]", "[1,2]", "[2,1]", "{}", "[]", "{\"a\":1}", "{\"a\":\"1\"}", "\"\""];

        var keys = ids.Select(id => JobKeys.GetOrAssign(JobWithId(id))).ToList();

        Assert.Equal(ids.Length, keys.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void GetOrAssign_ObjectIdsWithDifferentKeyOrder_GiveSameKey()
    {
        var first = JobKeys.GetOrAssign(JobWithId("""{"tenant": "acme", "order": 17, "lines": [{"sku": "x", "qty": 2}]}"""));
        var second = JobKeys.GetOrAssign(JobWithId("""{"lines":[{"qty":2.0,"sku":"x"}],"order":17,"tenant":"acme"}"""));

        Assert.Equal(first, second);
        Assert.Equal("""{"lines":[{"qty":2,"sku":"x"}],"order":17,"tenant":"acme"}""", first);
    }

    [Fact]
    public void GetOrAssign_ArrayIdsInDifferentOrder_GiveDifferentKeys()
    {
        Assert.NotEqual(JobKeys.GetOrAssign(JobWithId("[1, 2]")), JobKeys.GetOrAssign(JobWithId("[2, 1]")));
    }

    [Fact]
    public void GetOrAssign_IdSetInCode_MatchesIdReadFromJson()
    {
        var fromCode = new Job("w") { Id = JsonValues.From(new Dictionary<string, object> { ["b"] = 2, ["a"] = "x" }) };

        Assert.Equal(JobKeys.GetOrAssign(JobWithId("""{"a": "x", "b": 2.0}""")), JobKeys.GetOrAssign(fromCode));
    }

    [Fact]
    public void GetOrAssign_NonNullId_LeavesErgateKeyUnset()
    {
        var job = JobWithId("\"order-1\"");

        JobKeys.GetOrAssign(job, "message-1");

        Assert.Null(job.ErgateKey);
    }

    [Fact]
    public void GetOrAssign_NullId_GeneratesPrefixedKeyStoredInErgateKey()
    {
        var job = new Job("w");

        var key = JobKeys.GetOrAssign(job);

        Assert.StartsWith(JobKeys.GeneratedPrefix, key, StringComparison.Ordinal);
        Assert.True(key.Length > JobKeys.GeneratedPrefix.Length, "The generated key has nothing after the prefix.");
        Assert.Equal(key, job.ErgateKey);
    }

    [Fact]
    public void GetOrAssign_NullIdCalledTwice_ReturnsSameKey()
    {
        var job = new Job("w");

        var first = JobKeys.GetOrAssign(job);
        var second = JobKeys.GetOrAssign(job, "another-message");

        Assert.Equal(first, second);
        Assert.Equal(first, job.ErgateKey);
    }

    [Fact]
    public void GetOrAssign_TwoNullIdJobs_GetDifferentKeys()
    {
        Assert.NotEqual(JobKeys.GetOrAssign(new Job("w")), JobKeys.GetOrAssign(new Job("w")));
    }

    [Fact]
    public void GetOrAssign_NullIdAfterJsonRoundTrip_KeepsGeneratedKey()
    {
        var job = JobJson.Deserialize("""{"id": null, "workflow_name": "w", "current_step": 1}""");
        var key = JobKeys.GetOrAssign(job);

        var copy = JobJson.Deserialize(JobJson.SerializeToUtf8Bytes(job));

        Assert.Equal(key, copy.ErgateKey);
        Assert.Equal(key, JobKeys.GetOrAssign(copy, "a-different-message"));
        Assert.Equal(JsonValueKind.Null, copy.Id.ValueKind);
    }

    [Fact]
    public void GetOrAssign_NullIdWithMessageId_UsesPrefixAndMessageId()
    {
        var job = new Job("w");

        var key = JobKeys.GetOrAssign(job, "42");

        Assert.Equal(JobKeys.GeneratedPrefix + "42", key);
        Assert.Equal(key, job.ErgateKey);
    }

    [Fact]
    public void GetOrAssign_SameMessageIdForTwoCopies_GivesSameKey()
    {
        // Two deliveries of one message carrying a null-id job agree on the key without sharing memory.
        var first = JobJson.Deserialize("""{"workflow_name": "w"}""");
        var second = JobJson.Deserialize("""{"workflow_name": "w"}""");

        Assert.Equal(JobKeys.GetOrAssign(first, "m-7"), JobKeys.GetOrAssign(second, "m-7"));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("42")]
    public void GetOrAssign_GeneratedKey_NeverEqualsKeyOfStringId(string messageId)
    {
        var generated = JobKeys.GetOrAssign(new Job("w"), messageId);
        var lookalike = JobKeys.GetOrAssign(JobWithId(JsonSerializer.Serialize(generated)));

        Assert.Equal(JobKeys.GeneratedPrefix + messageId, generated);
        Assert.NotEqual(generated, lookalike);
    }

    [Theory]
    [InlineData("\"null:abc\"")]
    [InlineData("\"null\"")]
    [InlineData("0")]
    [InlineData("-1.5")]
    [InlineData("true")]
    [InlineData("false")]
    [InlineData("[null]")]
    [InlineData("{\"null:\": null}")]
    public void GetOrAssign_NonNullId_KeyNeverStartsWithGeneratedPrefix(string id)
    {
        var key = JobKeys.GetOrAssign(JobWithId(id));

        Assert.False(key.StartsWith(JobKeys.GeneratedPrefix, StringComparison.Ordinal), $"Key {key} looks generated.");
    }

    [Fact]
    public void ForId_NullId_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => JobKeys.ForId(JsonValues.Null));
    }

    [Fact]
    public void ForId_NonNullId_EqualsGetOrAssignKey()
    {
        var job = JobWithId("""{"b": [1.0], "a": "x"}""");

        Assert.Equal(JobKeys.GetOrAssign(job), JobKeys.ForId(job.Id));
    }
}
