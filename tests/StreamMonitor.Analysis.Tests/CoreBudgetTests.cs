using StreamMonitor.Analysis.Parallelism;

namespace StreamMonitor.Analysis.Tests;

/// <summary>One budget of cores for slots (whole pieces of work) and parallel loops (idle cores only).</summary>
public sealed class CoreBudgetTests
{
    /// <summary>Stretches cover [0, n) in order, whatever the cores: one (maybe empty) stretch up to the length, then full ones and a remainder.</summary>
    [Theory]
    [InlineData(0, 10, new[] { 0, 0 })]
    [InlineData(7, 10, new[] { 0, 7 })]
    [InlineData(10, 10, new[] { 0, 10 })]
    [InlineData(30, 10, new[] { 0, 10, 10, 20, 20, 30 })]
    [InlineData(25, 10, new[] { 0, 10, 10, 20, 20, 25 })]
    [InlineData(25, int.MaxValue, new[] { 0, 25 })]
    public void StretchesCoverTheRangeInOrderOnAnyNumberOfCores(int n, int stretch, int[] bounds)
    {
        foreach (int cores in new[] { 1, 4 })
        {
            var got = new CoreBudget(cores).InStretches(n, stretch, (from, to) => (from, to));
            Assert.Equal(bounds, got.SelectMany(s => new[] { s.from, s.to }));
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => new CoreBudget(1).InStretches(n, 0, (from, to) => 0));
    }

    [Fact]
    public async Task LoopsTakeOnlyTheCoresNoSlotHolds()
    {
        var budget = new CoreBudget(2);
        using (var lease = budget.Borrow(100))
        {
            Assert.Equal(2, lease.DegreeOfParallelism); // nobody else: the caller and the other core
            Assert.Equal(1, budget.Idle); // a caller outside any slot runs on its own thread, which it did not take
            using var second = budget.Borrow(100);
            Assert.Equal(2, second.DegreeOfParallelism);
            Assert.Equal(0, budget.Idle);
        }
        Assert.Equal(2, budget.Idle);

        await budget.AcquireSlotAsync();
        using (var lease = budget.Borrow(100)) Assert.Equal(2, lease.DegreeOfParallelism); // a frame alone keeps every core
        await budget.AcquireSlotAsync();
        using (var lease = budget.Borrow(100)) Assert.Equal(1, lease.DegreeOfParallelism); // two frames on two cores: no forking

        // With no core idle a loop runs on its caller's thread alone.
        int caller = Environment.CurrentManagedThreadId;
        var threads = new HashSet<int>();
        budget.For(64, _ =>
        {
            lock (threads) threads.Add(Environment.CurrentManagedThreadId);
        });
        Assert.Equal([caller], threads);

        budget.ReleaseSlot();
        budget.ReleaseSlot();
        Assert.Equal(2, budget.Idle);
        using (var lease = budget.Borrow(1)) Assert.Equal(1, lease.DegreeOfParallelism); // one piece of work needs no second core

        // A failing body throws its own exception whether the loop ran in parallel or not, and gives its cores back.
        Assert.Throws<InvalidOperationException>(() => budget.For(64, i => throw new InvalidOperationException($"piece {i}")));
        Assert.Equal(2, budget.Idle);
        await budget.AcquireSlotAsync();
        await budget.AcquireSlotAsync();
        Assert.Throws<InvalidOperationException>(() => budget.For(64, i => throw new InvalidOperationException($"piece {i}")));
        budget.ReleaseSlot();
        budget.ReleaseSlot();
    }

    [Fact]
    public async Task SlotsWaitInOrderAndResumingWorkGoesFirst()
    {
        var budget = new CoreBudget(1);
        await budget.AcquireSlotAsync();
        var first = budget.AcquireSlotAsync();
        var second = budget.AcquireSlotAsync();
        var resuming = budget.AcquireSlotAsync(resuming: true);
        Assert.False(first.IsCompleted || second.IsCompleted || resuming.IsCompleted);

        budget.ReleaseSlot();
        await resuming.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(first.IsCompleted);
        budget.ReleaseSlot();
        await first.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(second.IsCompleted);
        budget.ReleaseSlot();
        await second.WaitAsync(TimeSpan.FromSeconds(10));
        budget.ReleaseSlot();
        Assert.Equal(1, budget.Idle);
    }

    [Fact]
    public async Task ACancelledWaitLeavesTheQueueAndTakesNoCore()
    {
        var budget = new CoreBudget(1);
        await budget.AcquireSlotAsync();
        using var cancel = new CancellationTokenSource();
        var waiting = budget.AcquireSlotAsync(cancellationToken: cancel.Token);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        budget.ReleaseSlot();
        Assert.Equal(1, budget.Idle); // the core went back to the budget, not to the cancelled waiter
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => budget.AcquireSlotAsync(cancellationToken: cancel.Token));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CoreBudget(0));
    }
}
