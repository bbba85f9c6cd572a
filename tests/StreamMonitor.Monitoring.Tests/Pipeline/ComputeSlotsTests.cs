using StreamMonitor.Monitoring.Pipeline;

namespace StreamMonitor.Monitoring.Tests.Pipeline;

public sealed class ComputeSlotsTests
{
    [Fact]
    public async Task No_more_work_runs_at_once_than_there_are_slots_and_a_failure_frees_its_slot()
    {
        using var slots = new ComputeSlots(2);
        int running = 0, most = 0;
        async ValueTask<int> Work(int i)
        {
            int now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            await Task.Delay(20);
            Interlocked.Decrement(ref running);
            return i;
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(async () => await slots.RunAsync(() => Work(i)))));
        Assert.Equal(Enumerable.Range(0, 12), results.Order());
        Assert.Equal(2, most);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await slots.RunAsync<int>(() => throw new InvalidOperationException()));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await slots.RunAsync<int>(() => throw new InvalidOperationException()));
        Assert.Equal(3, await slots.RunAsync(() => ValueTask.FromResult(3))); // both slots came back
        Assert.Throws<ArgumentOutOfRangeException>(() => new ComputeSlots(0));
    }

    [Fact]
    public async Task Loops_inside_full_slots_get_no_extra_core_and_a_lone_one_gets_them_all()
    {
        using var slots = new ComputeSlots(2);
        using var both = new Barrier(2);
        int Degree()
        {
            both.SignalAndWait(TimeSpan.FromSeconds(30)); // both slots held
            int degree;
            using (var lease = slots.Budget.Borrow(64)) degree = lease.DegreeOfParallelism;
            both.SignalAndWait(TimeSpan.FromSeconds(30)); // neither has left yet
            return degree;
        }
        var degrees = await Task.WhenAll(Task.Run(async () => await slots.ComputeAsync(Degree)), Task.Run(async () => await slots.ComputeAsync(Degree)));
        Assert.Equal([1, 1], degrees);

        int alone = await slots.ComputeAsync(() =>
        {
            using var lease = slots.Budget.Borrow(64);
            return lease.DegreeOfParallelism;
        });
        Assert.Equal(2, alone);
        Assert.Equal(2, slots.Budget.Idle);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
