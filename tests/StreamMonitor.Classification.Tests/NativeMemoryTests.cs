using StreamMonitor.Classification.Batching;
using StreamMonitor.Classification.Models;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Classification.Tests;

/// <summary>Tests that read the process's resident memory run alone, so no other test's allocations count.</summary>
[CollectionDefinition(nameof(NativeMemoryTests), DisableParallelization = true)]
public sealed class NativeMemoryCollection;

[Collection(nameof(NativeMemoryTests))]
[Trait("Category", "Slow")]
public sealed class NativeMemoryTests
{
    [Fact]
    public async Task NativeMemoryStaysFlatOverALongRunThroughTheBatcher()
    {
        // Every batch goes through TorchSharp (on the CPU only when asked: the fused kernel allocates nothing native); a
        // tensor leaked per batch (≥ 100 kB of native memory) would add
        // hundreds of megabytes over these batches (tens even when the finalizer frees some), far above the 1 MB the
        // allocator drifts by here.
        var parameters = ReferenceWeightFile.Load(Path.Combine(RepositoryPaths.MolStrucClassifier, "urea", "weight_urea.txt")).ToParameters();
        using var network = new MlpNetwork(parameters, MlpPrecision.Single, torchOnCpu: true);
        await using var batcher = MicroBatcher.For(network, new MicroBatcherOptions { MaxBatchRows = 1024, MaxDelay = TimeSpan.FromMilliseconds(1) });
        var random = new Random(21);
        var rows = Enumerable.Range(0, 512 * 24).Select(_ => random.NextDouble() * 40 - 5).ToArray();
        async Task RunAsync(int requests) =>
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                for (int i = 0; i < requests / 4; i++) await batcher.EvaluateAsync(rows);
            })));
        await RunAsync(400); // warm-up: buffers, JIT, allocator pools
        GC.Collect();
        long before = NativeBytes();
        long batchesBefore = batcher.Batches;
        await RunAsync(4000);
        GC.Collect();
        long grown = NativeBytes() - before;
        Assert.True(batcher.Batches - batchesBefore >= 1000, $"only {batcher.Batches - batchesBefore} batches ran");
        Assert.True(grown < 16 << 20, $"native memory (resident less the managed heap) grew by {grown >> 20} MB over {batcher.Batches - batchesBefore} batches");
    }

    /// <summary>
    /// Resident memory less what the managed heap holds committed: the GC may keep tens of megabytes of emptied regions
    /// after a collection, more or fewer with the machine's memory load, which is no native growth.
    /// </summary>
    private static long NativeBytes() => ResidentBytes() - GC.GetGCMemoryInfo().TotalCommittedBytes;

    private static long ResidentBytes()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }
}
