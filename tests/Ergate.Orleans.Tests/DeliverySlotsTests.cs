using Ergate.Orleans.Grains;

namespace Ergate.Orleans.Tests;

/// <summary>The pump's in-flight slots: counted, handed straight to the longest waiter, closed for good.</summary>
public sealed class DeliverySlotsTests
{
    [Fact]
    public async Task Take_GivesFreeSlotsAtOnce_ThenWaitsUntilOneIsReturned()
    {
        var slots = new DeliverySlots(2);
        var waiter = new DeliverySlots.Waiter();

        Assert.True(await slots.TakeAsync(waiter));
        Assert.True(await slots.TakeAsync(waiter));
        var third = slots.TakeAsync(waiter);
        Assert.False(third.IsCompleted);

        slots.Return();
        Assert.True(third.IsCompletedSuccessfully);
        Assert.True(await third);
    }

    [Fact]
    public async Task Return_HandsTheSlotToTheWaiter_WithoutFreeingIt()
    {
        var slots = new DeliverySlots(1);
        var first = new DeliverySlots.Waiter();
        var second = new DeliverySlots.Waiter();
        Assert.True(await slots.TakeAsync(first));
        var waiting = slots.TakeAsync(second);

        slots.Return();
        Assert.True(await waiting);

        // The returned slot went to the waiter: none is free for a third taker until the waiter returns it.
        var third = slots.TakeAsync(first);
        Assert.False(third.IsCompleted);
        slots.Return();
        Assert.True(await third);
    }

    [Fact]
    public async Task Waiters_AreServedInTheOrderTheyCame()
    {
        var slots = new DeliverySlots(1);
        Assert.True(await slots.TakeAsync(new DeliverySlots.Waiter()));
        var first = slots.TakeAsync(new DeliverySlots.Waiter());
        var second = slots.TakeAsync(new DeliverySlots.Waiter());

        slots.Return();
        Assert.True(first.IsCompleted);
        Assert.False(second.IsCompleted);

        slots.Return();
        Assert.True(second.IsCompleted);
        Assert.True(await first);
        Assert.True(await second);
    }

    [Fact]
    public async Task Return_RunsTheWaitingLoopOnTheReturningThread()
    {
        var slots = new DeliverySlots(1);
        var waiter = new DeliverySlots.Waiter();
        Assert.True(await slots.TakeAsync(waiter));
        int? resumedOn = null;
        var loop = ResumeAsync();

        var returningThread = Environment.CurrentManagedThreadId;
        slots.Return();

        // The loop's continuation ran inside Return: it has resumed before Return came back.
        Assert.Equal(returningThread, resumedOn);
        await loop;

        async Task ResumeAsync()
        {
            await slots.TakeAsync(waiter).ConfigureAwait(false);
            resumedOn = Environment.CurrentManagedThreadId;
        }
    }

    [Fact]
    public async Task Close_EndsEveryWaitWithFalse_AndLaterTakesToo()
    {
        var slots = new DeliverySlots(1);
        Assert.True(await slots.TakeAsync(new DeliverySlots.Waiter()));
        var waiting = slots.TakeAsync(new DeliverySlots.Waiter());

        slots.Close();

        Assert.False(await waiting);
        Assert.False(await slots.TakeAsync(new DeliverySlots.Waiter()));
        slots.Return(); // a delivery settled after the close gives its slot back harmlessly
        Assert.False(await slots.TakeAsync(new DeliverySlots.Waiter()));
    }

    [Fact]
    public async Task Waiter_IsReusedAcrossWaits()
    {
        var slots = new DeliverySlots(1);
        var waiter = new DeliverySlots.Waiter();
        Assert.True(await slots.TakeAsync(waiter));
        for (var i = 0; i < 3; i++)
        {
            var wait = slots.TakeAsync(waiter);
            Assert.False(wait.IsCompleted);
            slots.Return();
            Assert.True(await wait);
        }
    }
}
