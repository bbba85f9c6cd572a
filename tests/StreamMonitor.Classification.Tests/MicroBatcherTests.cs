using System.Collections.Concurrent;
using StreamMonitor.Classification.Batching;
using StreamMonitor.Classification.Models;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Classification.Tests;

/// <summary>The micro-batcher in front of the real urea network (TorchSharp).</summary>
public sealed class MicroBatcherTests : IDisposable
{
    private readonly MlpNetwork _mlp = new(ReferenceWeightFile.Load(
        Path.Combine(RepositoryPaths.MolStrucClassifier, "urea", "weight_urea.txt")).ToParameters(), MlpPrecision.Double);

    public void Dispose() => _mlp.Dispose();

    private static double[] RandomRows(Random random, int rows)
    {
        var x = new double[rows * 24];
        for (int i = 0; i < x.Length; i++) x[i] = random.NextDouble() * 40 - 5;
        return x;
    }

    [Fact]
    public async Task ConcurrentCallersEachGetTheOutputsOfTheirOwnRows()
    {
        var batchSizes = new ConcurrentBag<int>();
        await using var batcher = new MicroBatcher((inputs, outputs) =>
        {
            batchSizes.Add(inputs.Sum(m => m.Length) / 24);
            _mlp.Forward(inputs, outputs);
        }, 24, 7, new MicroBatcherOptions { MaxBatchRows = 1024, MaxDelay = TimeSpan.FromMilliseconds(5) });
        var reported = new ConcurrentBag<MicroBatch>();
        batcher.Evaluated += reported.Add;

        int requests = 0;
        var callers = Enumerable.Range(0, 16).Select(c => Task.Run(async () =>
        {
            var random = new Random(c);
            for (int k = 0; k < 40; k++)
            {
                var rows = RandomRows(random, random.Next(1, 300));
                var got = await batcher.EvaluateAsync(rows);
                var alone = _mlp.Forward(rows);
                Assert.Equal(alone.Length, got.Length);
                for (int i = 0; i < alone.Length; i++) Assert.Equal(alone[i], got[i], 1e-12);
                Interlocked.Increment(ref requests);
            }
        })).ToArray();
        await Task.WhenAll(callers);

        Assert.Equal(640, requests);
        Assert.All(batchSizes, rows => Assert.InRange(rows, 1, 1024));
        Assert.True(batcher.Batches < requests, $"{batcher.Batches} batches for {requests} requests: nothing was batched");
        Assert.Equal(batchSizes.Sum(), batcher.Rows);
        // Every batch is reported once, with its rows and how many callers shared it.
        Assert.Equal(batchSizes.Order(), reported.Select(b => b.Rows).Order());
        Assert.Equal(requests, batcher.Requests);
        Assert.Equal(requests, reported.Sum(b => b.Requests));
        Assert.Equal(reported.Max(b => b.Requests), batcher.LargestBatchRequests);
        Assert.True(batcher.LargestBatchRequests > 1);
    }

    [Fact]
    public async Task ALoneRequestIsFlushedByItsDeadlineAndAnOversizedOneAlone()
    {
        var batchSizes = new ConcurrentBag<int>();
        await using var batcher = new MicroBatcher((inputs, outputs) =>
        {
            batchSizes.Add(inputs.Sum(m => m.Length) / 24);
            _mlp.Forward(inputs, outputs);
        }, 24, 7, new MicroBatcherOptions { MaxBatchRows = 100, MaxDelay = TimeSpan.FromMilliseconds(20) });
        var random = new Random(3);
        var small = await batcher.EvaluateAsync(RandomRows(random, 3)).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(21, small.Length);
        var bigRows = RandomRows(random, 250);
        var big = await batcher.EvaluateAsync(bigRows).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        // Alone in its batch, the request gets the array the network wrote: every output its own row's.
        Assert.Equal(_mlp.Forward(bigRows), big);
        Assert.Equal([3, 250], batchSizes.Order());
    }

    [Fact]
    public async Task AFailingBatchFailsItsCallersOnlyAndBadInputIsRefused()
    {
        int calls = 0;
        await using var batcher = new MicroBatcher((inputs, outputs) =>
        {
            if (Interlocked.Increment(ref calls) == 1) throw new InvalidOperationException("device lost");
            _mlp.Forward(inputs, outputs);
        }, 24, 7, new MicroBatcherOptions { MaxDelay = TimeSpan.Zero });
        var random = new Random(5);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () => await batcher.EvaluateAsync(RandomRows(random, 2)));
        Assert.Equal("device lost", e.Message);
        Assert.Equal(14, (await batcher.EvaluateAsync(RandomRows(random, 2))).Length);
        await Assert.ThrowsAsync<ArgumentException>(async () => await batcher.EvaluateAsync(new double[25]));
    }

    [Fact]
    public async Task DisposingFinishesWhatIsQueued()
    {
        var batcher = MicroBatcher.For(_mlp, new MicroBatcherOptions { MaxDelay = TimeSpan.FromMilliseconds(50) });
        var random = new Random(9);
        var pending = Enumerable.Range(0, 10).Select(_ => batcher.EvaluateAsync(RandomRows(random, 10)).AsTask()).ToArray();
        await batcher.DisposeAsync();
        Assert.All(pending, t => Assert.Equal(70, t.Result.Length));
        await Assert.ThrowsAnyAsync<Exception>(async () => await batcher.EvaluateAsync(RandomRows(random, 1)));
    }
}
