using System.Globalization;
using StreamMonitor.Analysis.Molecules;
using StreamMonitor.Classification.Features;
using StreamMonitor.Classification.Models;
using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Events;
using StreamMonitor.Monitoring.Pipeline;
using StreamMonitor.Ingest;
using StreamMonitor.TestSupport;
using Xunit.Abstractions;

namespace StreamMonitor.Monitoring.Tests.Pipeline;

/// <summary>Surface and core of the largest cluster, on LAMMPS runs and on the urea crystal of the reference data.</summary>
[Trait("Category", "Slow")]
public sealed class FrameSummarizerSurfaceTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ACompactClusterInVacuumHasASurfaceShellAroundItsCore()
    {
        var dump = LennardJonesScenes.MeltingCluster(_temp.Path);
        using var model = ClassifierModel.Load("lj");
        var first = (await Summaries(new FrameSummarizer(model), dump, frames: 1))[0];
        var off = (await Summaries(new FrameSummarizer(model, new SummarizerOptions { SurfaceCore = false }), dump, frames: 1))[0];

        Assert.Equal(683, first.Count);
        Assert.InRange(first.NMax, 600, 683); // a crystal at T = 0.3
        Assert.Equal(first.NMax, first.Surface + first.Core);
        // The outermost layer of a ball of radius 5.7 σ, layers 0.9 σ apart, holds roughly a third of its atoms.
        double share = (double)first.Surface!.Value / first.NMax;
        Assert.InRange(share, 0.2, 0.5);
        Assert.Null(off.Surface);
        Assert.Null(off.Core);
        Assert.Equal(first.NMax, off.NMax);
    }

    [Fact]
    public async Task AMeltingClusterLosesItsSurfaceFirstAndTheMeltingDetectorSaysSo()
    {
        var dump = LennardJonesScenes.MeltingCluster(_temp.Path);
        using var model = ClassifierModel.Load("lj");
        var summaries = await Summaries(new FrameSummarizer(model), dump);
        foreach (var s in summaries)
            output.WriteLine($"frame {s.Frame}: crystalline {s.Crystalline}, n_max {s.NMax}, surface {s.Surface}, core {s.Core}");

        // Once the crystal has lost a tenth, the surface has kept a smaller share of its rows than the core at every frame.
        var peak = summaries[0];
        var melting = summaries.Where(s => s.NMax < 0.9 * peak.NMax).ToList();
        Assert.True(melting.Count >= 5, $"{melting.Count} frames into the melt");
        foreach (var s in melting)
        {
            double surfaceKept = (double)s.Surface!.Value / peak.Surface!.Value;
            double coreKept = (double)s.Core!.Value / peak.Core!.Value;
            Assert.True(surfaceKept < coreKept, $"frame {s.Frame}: surface kept {surfaceKept:P0}, core {coreKept:P0}");
        }

        var detector = new MeltingDetector();
        var events = summaries.SelectMany(s => detector.Observe(s, DateTimeOffset.UnixEpoch)).ToList();
        var melt = Assert.Single(events);
        Assert.Equal(MeltingModes.Surface, melt.Labels["mode"]);
    }

    [Fact]
    public async Task ACrystalSlabInItsMeltHasNoFreeSurfaceToSplitBy()
    {
        var dump = LennardJonesScenes.SeededSlab(_temp.Path, temperature: 0.7, steps: 0, dumpEvery: 100);
        using var model = ClassifierModel.Load("lj");
        var s = (await Summaries(new FrameSummarizer(model), dump))[0];

        Assert.InRange(s.NMax, 160, 300); // the five-plane seed and the liquid layers ordered against it
        Assert.Null(s.Surface);
        Assert.Null(s.Core);
    }

    [Fact]
    public async Task AUreaCrystalInVacuumIsRecognisedOnlyInsideSoItsClusterHasNoSurfaceToSplitBy()
    {
        var periodic = Path.Combine(RepositoryPaths.MolStrucClassifier, "urea", "form-I-3456atoms.dump");
        var block = Path.Combine(_temp.Path, "block.dump");
        WriteInVacuum(periodic, block, padding: 20);
        using var model = ClassifierModel.Load("urea-2024");

        var inBox = (await Summaries(new FrameSummarizer(model), periodic, frames: 1))[0];
        var alone = (await Summaries(new FrameSummarizer(model), block, frames: 1))[0];
        output.WriteLine($"periodic: n_max {inBox.NMax}; in vacuum: n_max {alone.NMax}, surface {alone.Surface}, core {alone.Core}, I {alone.CountOf("I")}");

        Assert.Equal(432, inBox.NMax);
        Assert.Null(inBox.Surface); // every molecule has its full environment: no free surface
        Assert.Null(inBox.Core);
        Assert.Equal(432, alone.Count);
        // The symmetry functions reach 10 Å, so form I is recognised only well inside the block (33 × 33 × 28 Å), away
        // from the surface that the radius of 6 Å + the molecular radius marks: the block has a surface, its crystal none.
        Assert.InRange(alone.NMax, 1, 431);
        using (var reader = TrajectoryReader.Open(block))
        using (var frame = reader.Read()!)
        {
            var parameters = ((MolecularFeatureSpec)model.File.Features).Parameters;
            var result = new SurfaceClassifier().Compute(OrientedMolecules.FromFrame(frame, parameters.Roles, parameters.Bonds));
            Assert.True(result.SurfaceCount > 100, $"{result.SurfaceCount} of the block's molecules at its surface");
        }
        Assert.Null(alone.Surface);
        Assert.Null(alone.Core);
    }

    private static async Task<List<FrameSummary>> Summaries(FrameSummarizer summarizer, string dump, int frames = int.MaxValue)
    {
        var summaries = new List<FrameSummary>();
        using var reader = TrajectoryReader.Open(dump);
        foreach (var frame in reader.ReadAll().Take(frames))
            using (frame) summaries.Add(await summarizer.SummarizeAsync("test", frame));
        return summaries;
    }

    /// <summary>
    /// Rewrites the first frame of the reference urea dump (columns <c>id mol element sym_type x y z</c>, atoms wrapped
    /// into an orthogonal box) as the same crystal in a box <paramref name="padding"/> Å wider on every side: each
    /// molecule made whole next to its first atom, so none is torn in two once the periodic images are gone.
    /// </summary>
    private static void WriteInVacuum(string source, string target, double padding)
    {
        var inv = CultureInfo.InvariantCulture;
        var lines = File.ReadAllLines(source);
        int atoms = int.Parse(lines[3], inv);
        var lo = new double[3];
        var length = new double[3];
        for (int d = 0; d < 3; d++)
        {
            var bounds = lines[5 + d].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            lo[d] = double.Parse(bounds[0], inv);
            length[d] = double.Parse(bounds[1], inv) - lo[d];
        }
        var first = new Dictionary<string, double[]>();
        var output = new List<string>(lines[..5]);
        for (int d = 0; d < 3; d++)
            output.Add(string.Create(inv, $"{lo[d] - padding} {lo[d] + length[d] + padding}"));
        output.Add(lines[8]);
        foreach (var line in lines.Skip(9).Take(atoms))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var r = new[] { double.Parse(f[4], inv), double.Parse(f[5], inv), double.Parse(f[6], inv) };
            if (!first.TryGetValue(f[1], out var anchor)) first[f[1]] = anchor = r;
            for (int d = 0; d < 3; d++) r[d] -= length[d] * Math.Round((r[d] - anchor[d]) / length[d]);
            output.Add(string.Create(inv, $"{f[0]} {f[1]} {f[2]} {f[3]} {r[0]} {r[1]} {r[2]}"));
        }
        File.WriteAllLines(target, output);
    }
}
