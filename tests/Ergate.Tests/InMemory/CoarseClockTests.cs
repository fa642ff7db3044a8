using Microsoft.Extensions.Time.Testing;

namespace Ergate.Tests.InMemory;

public sealed class CoarseClockTests
{
    [Fact]
    public void SystemClock_IsReadToWithinAFewMilliseconds()
    {
        for (var i = 0; i < 1000; i++)
        {
            var before = TimeProvider.System.GetUtcNow();
            var coarse = CoarseClock.GetUtcNow(TimeProvider.System);
            var after = TimeProvider.System.GetUtcNow();

            Assert.Equal(TimeSpan.Zero, coarse.Offset);
            Assert.InRange(coarse, before - TimeSpan.FromMilliseconds(50), after);
        }
    }

    [Fact]
    public void OtherTimeProvider_IsReadExactly()
    {
        var fake = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

        Assert.Equal(fake.GetUtcNow(), CoarseClock.GetUtcNow(fake));
        fake.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(fake.GetUtcNow(), CoarseClock.GetUtcNow(fake));
    }
}
