using StreamMonitor.Classification.Models;
using StreamMonitor.Monitoring;
using StreamMonitor.Core;
using StreamMonitor.Monitoring.Pipeline;
using StreamMonitor.Ingest;
using StreamMonitor.TestSupport;
using Xunit.Abstractions;

namespace StreamMonitor.Monitoring.Tests.Pipeline;

/// <summary>The crystal–liquid interface of a seeded Lennard-Jones slab (LAMMPS), followed frame by frame.</summary>
[Trait("Category", "Slow")]
public sealed class FrameSummarizerInterfaceTests(ITestOutputHelper output) : IDisposable
{
    private const double Timestep = 0.005; // LAMMPS' LJ default, τ per step

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task TheInterfaceStartsAtTheSeedsUpperEdgeAndMovesUpAsTheCrystalGrows()
    {
        const int every = 250;
        var dump = LennardJonesScenes.SeededSlab(_temp.Path, temperature: 0.7, steps: 3000, dumpEvery: every);
        using var model = ClassifierModel.Load("lj");
        var summaries = await Summaries(new FrameSummarizer(model, Along('z') with { TimePerStep = Timestep }), Frames(dump));
        Log(summaries);

        // The upper edge of the seed lies half-way between its top plane and the next plane up.
        double edge = (LennardJonesScenes.SeedTop + 0.25) * LennardJonesScenes.Lattice;
        Assert.InRange(summaries[0].InterfacePosition!.Value, edge - 1.0, edge + 1.0);
        Assert.Null(summaries[0].InterfaceVelocity); // nothing to difference yet
        Assert.True(summaries[^1].InterfacePosition > summaries[0].InterfacePosition + 2,
            $"the interface went from {summaries[0].InterfacePosition:0.##} to {summaries[^1].InterfacePosition:0.##}");

        // The velocity is the finite difference of consecutive positions, per τ.
        var pairs = summaries.Zip(summaries.Skip(1)).Where(p => p.First.InterfacePosition is not null && p.Second.InterfacePosition is not null).ToList();
        Assert.True(pairs.Count >= 10, $"{pairs.Count} consecutive fitted frames");
        foreach (var (before, after) in pairs)
            Assert.Equal((after.InterfacePosition!.Value - before.InterfacePosition!.Value) / (every * Timestep), after.InterfaceVelocity!.Value, 9);
        double mean = pairs.Average(p => p.Second.InterfaceVelocity!.Value);
        Assert.True(mean > 0.05, $"mean velocity {mean:0.###} σ/τ");
    }

    [Fact]
    public async Task AMeltingSlabsInterfaceMovesDown()
    {
        var dump = LennardJonesScenes.SeededSlab(_temp.Path, temperature: 1.3, steps: 600, dumpEvery: 50);
        using var model = ClassifierModel.Load("lj");
        var summaries = await Summaries(new FrameSummarizer(model, Along('z') with { TimePerStep = Timestep }), Frames(dump));
        Log(summaries);

        var velocities = summaries.Select(s => s.InterfaceVelocity).OfType<double>().ToList();
        Assert.True(velocities.Count >= 3, $"{velocities.Count} velocities");
        Assert.True(velocities.Average() < -0.05, $"mean velocity {velocities.Average():0.###} σ/τ");
        Assert.True(summaries[^1].NMax < summaries[0].NMax / 2);
    }

    [Fact]
    public async Task VelocitiesArePerTimeUnitWhenTheStepTimeIsGivenAndPerStepOtherwise()
    {
        var dump = LennardJonesScenes.SeededSlab(_temp.Path, temperature: 0.7, steps: 1000, dumpEvery: 250);
        using var model = ClassifierModel.Load("lj");
        var perStep = await Summaries(new FrameSummarizer(model, Along('z')), Frames(dump));
        var perTau = await Summaries(new FrameSummarizer(model, Along('z') with { TimePerStep = Timestep }), Frames(dump));

        Assert.Equal(perStep.Select(s => s.InterfacePosition), perTau.Select(s => s.InterfacePosition));
        var pairs = perStep.Zip(perTau).Where(p => p.First.InterfaceVelocity is not null).ToList();
        Assert.NotEmpty(pairs);
        foreach (var (step, tau) in pairs)
            Assert.Equal(step.InterfaceVelocity!.Value / Timestep, tau.InterfaceVelocity!.Value, 9);
    }

    [Fact]
    public async Task AFrameIndexGoingBackStartsTheVelocityOver()
    {
        var dump = LennardJonesScenes.SeededSlab(_temp.Path, temperature: 0.7, steps: 1000, dumpEvery: 250);
        using var model = ClassifierModel.Load("lj");
        var summarizer = new FrameSummarizer(model, Along('z'));
        var summaries = new List<FrameSummary>();
        using var reader = TrajectoryReader.Open(dump);
        foreach (var frame in reader.ReadAll())
            using (frame)
            {
                // The file is replaced after frame 2 and its index starts again at 0, while the steps go on.
                if (frame.Index >= 3) frame.Index -= 3;
                summaries.Add(await summarizer.SummarizeAsync("test", frame));
            }

        Assert.Equal([0L, 1, 2, 0, 1], summaries.Select(s => s.Frame));
        Assert.All(summaries, s => Assert.NotNull(s.InterfacePosition));
        Assert.Null(summaries[0].InterfaceVelocity);
        Assert.NotNull(summaries[1].InterfaceVelocity);
        Assert.NotNull(summaries[2].InterfaceVelocity);
        Assert.Null(summaries[3].InterfaceVelocity); // no velocity across the restart
        Assert.NotNull(summaries[4].InterfaceVelocity);
    }

    [Fact]
    public async Task WithoutAnAxisOrWithoutAnInterfaceThereIsNothingToReport()
    {
        var slab = LennardJonesScenes.SeededSlab(_temp.Path, temperature: 0.7, steps: 0, dumpEvery: 100);
        using var model = ClassifierModel.Load("lj");
        var off = (await Summaries(new FrameSummarizer(model), Frames(slab)))[0];
        // Along x the slab fills every slab of the profile alike: a flat profile, no interface. (Eight slabs: one
        // lattice plane each, so the seed's planes do not alternate with empty slabs.)
        var across = (await Summaries(new FrameSummarizer(model, Along('x') with { InterfaceBins = 8 }), Frames(slab)))[0];

        Assert.True(off.NMax > 0);
        Assert.Null(off.InterfacePosition);
        Assert.Null(off.InterfaceVelocity);
        Assert.Null(across.InterfacePosition);
        Assert.Null(across.InterfaceVelocity);
    }

    private static SummarizerOptions Along(char axis) => new() { InterfaceAxis = axis };

    private static IEnumerable<Frame> Frames(string dump)
    {
        using var reader = TrajectoryReader.Open(dump);
        foreach (var frame in reader.ReadAll()) yield return frame;
    }

    private static async Task<List<FrameSummary>> Summaries(FrameSummarizer summarizer, IEnumerable<Frame> frames)
    {
        var summaries = new List<FrameSummary>();
        foreach (var frame in frames)
            using (frame) summaries.Add(await summarizer.SummarizeAsync("test", frame));
        return summaries;
    }

    private void Log(IEnumerable<FrameSummary> summaries)
    {
        foreach (var s in summaries)
            output.WriteLine($"frame {s.Frame} step {s.Step}: n_max {s.NMax}, interface {s.InterfacePosition:0.###} moving {s.InterfaceVelocity:0.###}");
    }
}
