using System.Diagnostics;
using StreamMonitor.Ingest.Tailing;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Ingest.Tests;

/// <summary>Tests that count the process's inotify instances run alone, so no other test's watchers count.</summary>
[CollectionDefinition(nameof(FileWatcherPoolTests), DisableParallelization = true)]
public sealed class FileWatcherPoolCollection;

/// <summary>
/// Shared directory watchers on real files: one inotify instance per directory however many files are followed in it,
/// a bounded number per process, polling beyond that, and nothing left once the last follower ends.
/// </summary>
[Collection(nameof(FileWatcherPoolTests))]
public sealed class FileWatcherPoolTests : IDisposable
{
    // Long enough that a wait which ends was ended by an event, not by the poll.
    private static readonly TimeSpan NoPoll = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan EventArrives = TimeSpan.FromSeconds(5);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task SignalsOnFilesOfOneDirectoryShareOneWatcherAndEachIsWokenByItsOwnFileOnly()
    {
        var pool = new FileWatcherPool(maxDirectories: 4);
        var paths = Enumerable.Range(0, 40).Select(i => _temp.File($"run{i}.lammpstrj")).ToArray();
        foreach (var path in paths) File.WriteAllText(path, "");
        int before = InotifyInstances();
        var signals = paths.Select(path => new FileChangeSignal(path, NoPoll, pool)).ToArray();
        using var stop = new CancellationTokenSource();
        try
        {
            Assert.All(signals, signal => Assert.True(signal.UsesEvents));
            Assert.Equal(1, pool.WatchedDirectories);
            Assert.InRange(InotifyInstances() - before, 0, 1);

            // Each signal is awaited once, so a late second event of a file already written cannot be mistaken for
            // another file's: after each write, every file not yet written must still be waiting.
            var waits = signals.Select(signal => signal.WaitAsync(stop.Token)).ToArray();
            var order = Enumerable.Range(0, paths.Length).ToArray();
            new Random(7).Shuffle(order);
            for (int n = 0; n < order.Length; n++)
            {
                File.AppendAllText(paths[order[n]], "ITEM: TIMESTEP\n");
                await waits[order[n]].WaitAsync(EventArrives);
                foreach (int later in order[(n + 1)..]) Assert.False(waits[later].IsCompleted, $"{paths[later]} woken by a write to {paths[order[n]]}");
            }
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var signal in signals) signal.Dispose();
        }
        Assert.Equal(0, pool.WatchedDirectories);
        await Eventually(() => InotifyInstances() <= before, "the shared watcher's inotify instance is closed");
    }

    [Fact]
    public async Task RenamesDeletionsAndCreationsWakeTheFilesTheyNameAndNoOther()
    {
        var pool = new FileWatcherPool(maxDirectories: 4);
        foreach (var name in new[] { "replaced", "moved", "removed", "bystander" }) File.WriteAllText(_temp.File(name), "x");
        var names = new[] { "replaced", "moved", "removed", "created", "bystander" };
        var signals = names.Select(name => new FileChangeSignal(_temp.File(name), NoPoll, pool)).ToArray();
        using var stop = new CancellationTokenSource();
        try
        {
            var waits = signals.Select(signal => signal.WaitAsync(stop.Token)).ToArray();
            File.WriteAllText(_temp.File("replaced.tmp"), "y");
            File.Move(_temp.File("replaced.tmp"), _temp.File("replaced"), overwrite: true); // wakes by the new name
            File.Move(_temp.File("moved"), _temp.File("moved.old")); // wakes by the old name
            File.Delete(_temp.File("removed"));
            File.WriteAllText(_temp.File("created"), "z");
            await Task.WhenAll(waits[..4]).WaitAsync(EventArrives);
            await Task.Delay(200);
            Assert.False(waits[4].IsCompleted, "a file nobody touched was woken");
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var signal in signals) signal.Dispose();
        }
    }

    [Fact]
    public async Task DirectoriesBeyondTheCapArePolledAndDisposingEverySubscriberReleasesTheWatchers()
    {
        var pool = new FileWatcherPool(maxDirectories: 3);
        var poll = TimeSpan.FromMilliseconds(100);
        var paths = Enumerable.Range(0, 8).Select(i => Path.Combine(Directory.CreateDirectory(_temp.File($"shot{i}")).FullName, "dump.lammpstrj")).ToArray();
        int before = InotifyInstances();
        // Two followers per directory: the second of a watched directory shares its watcher, even with the cap reached.
        var signals = paths.Concat(paths).Select(path => new FileChangeSignal(path, poll, pool)).ToArray();
        try
        {
            Assert.Equal(3, pool.WatchedDirectories);
            Assert.InRange(InotifyInstances() - before, 0, 3);
            Assert.Equal(new[] { true, true, true, false, false, false, false, false }, signals[..8].Select(s => s.UsesEvents));
            Assert.Equal(signals[..8].Select(s => s.UsesEvents), signals[8..].Select(s => s.UsesEvents));

            // A polled signal wakes after the poll interval, so its tailer looks at the file that often.
            var clock = Stopwatch.StartNew();
            await signals[7].WaitAsync(CancellationToken.None);
            Assert.InRange(clock.Elapsed, poll * 0.9, poll + TimeSpan.FromSeconds(1));
        }
        finally
        {
            foreach (var signal in signals[..8]) signal.Dispose();
        }
        Assert.Equal(3, pool.WatchedDirectories); // each watcher still has its second follower
        foreach (var signal in signals[8..]) signal.Dispose();
        Assert.Equal(0, pool.WatchedDirectories);
        await Eventually(() => InotifyInstances() <= before, "every watcher's inotify instance is closed");

        // With the watchers released, the cap has room again.
        using var again = new FileChangeSignal(paths[7], poll, pool);
        Assert.True(again.UsesEvents);
    }

    [Fact]
    public async Task ADirectoryRemovedAndMadeAgainGetsAFreshWatcherWhileTheOldOneWaitsForItsFollower()
    {
        var pool = new FileWatcherPool(maxDirectories: 4);
        var directory = Directory.CreateDirectory(_temp.File("shot")).FullName;
        var path = Path.Combine(directory, "dump.lammpstrj");
        using var old = new FileChangeSignal(path, NoPoll, pool);
        Assert.True(old.UsesEvents);
        Directory.Delete(directory, recursive: true);
        Directory.CreateDirectory(directory);

        using var fresh = new FileChangeSignal(path, NoPoll, pool);
        Assert.True(fresh.UsesEvents);
        Assert.Equal(2, pool.WatchedDirectories);
        var wait = fresh.WaitAsync(CancellationToken.None);
        File.WriteAllText(path, "ITEM: TIMESTEP\n");
        await wait.WaitAsync(EventArrives);

        old.Dispose();
        Assert.Equal(1, pool.WatchedDirectories);
    }

    [Fact]
    public async Task HundredsOfTailersTakeNoMoreWatchersThanTheCapAndAllSeeGrowthWithinThePollInterval()
    {
        // The server's case: a campaign of shots, mostly one folder each, some folders with many runs.
        var shared = FileWatcherPool.Shared;
        int cap = shared.MaxDirectories;
        shared.MaxDirectories = 32;
        var paths = Enumerable.Range(0, 100).Select(i => Path.Combine(Directory.CreateDirectory(_temp.File($"shot{i}")).FullName, "dump.lammpstrj"))
            .Concat(Enumerable.Range(0, 50).Select(i => Path.Combine(Directory.CreateDirectory(_temp.File("batch")).FullName, $"dump{i}.lammpstrj")))
            .ToArray();
        foreach (var path in paths) File.WriteAllText(path, DumpFrame(0));
        int watchersBefore = shared.WatchedDirectories, inotifyBefore = InotifyInstances();
        var options = new TailOptions { Follow = true, PollInterval = TimeSpan.FromMilliseconds(200) };
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var tailers = paths.Select(path => TrajectoryTailer.Start(path, options, cancellationToken: cts.Token)).ToArray();
        try
        {
            foreach (var tailer in tailers)
            {
                var first = await tailer.Items.ReadAsync(cts.Token);
                first.Frame!.Dispose();
            }
            Assert.InRange(shared.WatchedDirectories - watchersBefore, 1, 32);
            Assert.InRange(InotifyInstances() - inotifyBefore, 0, 32);

            var written = new long[paths.Length];
            for (int i = 0; i < paths.Length; i++)
            {
                File.AppendAllText(paths[i], DumpFrame(100));
                written[i] = Stopwatch.GetTimestamp();
            }
            var latencies = await Task.WhenAll(tailers.Select(async (tailer, i) =>
            {
                var next = await tailer.Items.ReadAsync(cts.Token);
                var latency = Stopwatch.GetElapsedTime(written[i]);
                using (next.Frame) Assert.Equal(100, next.Frame!.Step);
                return latency;
            }));
            // The poll interval plus scheduling on a loaded machine: a tailer left without events still looks often.
            Assert.All(latencies, latency => Assert.True(latency < options.PollInterval + TimeSpan.FromSeconds(1), $"{latency.TotalMilliseconds:F0} ms"));
        }
        finally
        {
            await cts.CancelAsync();
            await Task.WhenAll(tailers.Select(t => t.Completion));
            shared.MaxDirectories = cap;
        }
        Assert.Equal(watchersBefore, shared.WatchedDirectories);
        await Eventually(() => InotifyInstances() <= inotifyBefore, "the tailers' watchers are closed");
    }

    [Fact]
    public async Task SubscribersComingAndGoingOnManyThreadsLeaveNoWatcherBehindAndNeverPassTheCap()
    {
        var pool = new FileWatcherPool(maxDirectories: 3);
        var paths = Enumerable.Range(0, 6)
            .SelectMany(d => Enumerable.Range(0, 3).Select(f => Path.Combine(Directory.CreateDirectory(_temp.File($"shot{d}")).FullName, $"dump{f}.lammpstrj")))
            .ToArray();
        int before = InotifyInstances(), most = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(thread => Task.Run(() =>
        {
            var random = new Random(thread);
            var held = new List<FileChangeSignal>();
            for (int i = 0; i < 400; i++)
            {
                if (held.Count > 0 && random.Next(2) == 0)
                {
                    int k = random.Next(held.Count);
                    held[k].Dispose();
                    held.RemoveAt(k);
                }
                else held.Add(new FileChangeSignal(paths[random.Next(paths.Length)], NoPoll, pool));
                InterlockedMax(ref most, pool.WatchedDirectories);
            }
            foreach (var signal in held) signal.Dispose();
        })));
        Assert.InRange(most, 1, 3);
        Assert.Equal(0, pool.WatchedDirectories);
        await Eventually(() => InotifyInstances() <= before, "every watcher's inotify instance is closed");
    }

    [Fact]
    public void TheCapComesFromTheEnvironmentWhenItIsACountAndIsNeverNegative()
    {
        Assert.Equal(FileWatcherPool.DefaultMaxDirectories, FileWatcherPool.LimitFrom(null));
        Assert.Equal(FileWatcherPool.DefaultMaxDirectories, FileWatcherPool.LimitFrom("many"));
        Assert.Equal(FileWatcherPool.DefaultMaxDirectories, FileWatcherPool.LimitFrom("-1"));
        Assert.Equal(8, FileWatcherPool.LimitFrom(" 8 "));
        Assert.Equal(0, FileWatcherPool.LimitFrom("0"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FileWatcherPool(-1));

        using var pollOnly = new FileChangeSignal(_temp.File("dump.lammpstrj"), NoPoll, new FileWatcherPool(0));
        Assert.False(pollOnly.UsesEvents);
    }

    private static string DumpFrame(int step) => $"""
        ITEM: TIMESTEP
        {step}
        ITEM: NUMBER OF ATOMS
        2
        ITEM: BOX BOUNDS pp pp pp
        0 4
        0 4
        0 4
        ITEM: ATOMS id type x y z
        1 1 0 0 0
        2 1 1 1 1

        """;

    /// <summary>This process's inotify instances: the file descriptors that are links to anon_inode:inotify.</summary>
    private static int InotifyInstances() =>
        new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos().Count(fd =>
        {
            try
            {
                return fd.LinkTarget?.Contains("inotify", StringComparison.Ordinal) == true;
            }
            catch (IOException)
            {
                return false; // closed while we looked
            }
        });

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    /// <summary>Closing an inotify instance may lag the watcher's disposal by a moment.</summary>
    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), $"not within 10 s: {what}");
            await Task.Delay(50);
        }
    }
}
