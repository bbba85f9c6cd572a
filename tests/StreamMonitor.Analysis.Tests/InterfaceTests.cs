using StreamMonitor.Analysis.Interfaces;
using StreamMonitor.Core;
using StreamMonitor.Ingest;
using StreamMonitor.TestSupport;
using Xunit.Abstractions;

namespace StreamMonitor.Analysis.Tests;

public sealed class InterfaceTests(ITestOutputHelper output)
{
    private static double Slab(double x, double lo, double hi, double x1, double x2, double w, double l)
    {
        double g = 0;
        for (int m = -2; m <= 2; m++) g += Math.Tanh((x - x1 - m * l) / w) - Math.Tanh((x - x2 - m * l) / w);
        return lo + 0.5 * (hi - lo) * g;
    }

    private static (double[] X, double[] F, double[] W) Profile(int bins, double start, double l, Func<double, double> f)
    {
        var x = Enumerable.Range(0, bins).Select(k => start + (k + 0.5) * l / bins).ToArray();
        return (x, x.Select(f).ToArray(), Enumerable.Repeat(50.0, bins).ToArray());
    }

    [Theory]
    [InlineData(0.0, 7.0, 13.0, 0.8)]      // a slab in the middle
    [InlineData(0.0, 17.0, 4.0, 0.6)]      // a slab across the boundary: solid from 17 up through 20 ≡ 0 to 4
    [InlineData(-5.0, -3.0, 12.5, 1.2)]    // a thick slab, the liquid thin; origin below zero
    [InlineData(0.0, 9.0, 11.0, 0.5)]      // a thin slab
    public void ASyntheticPeriodicSlabProfileGivesBackItsParameters(double start, double x1, double x2, double w)
    {
        const double l = 20, lo = 0.04, hi = 0.93;
        double thickness = x2 > x1 ? x2 - x1 : x2 + l - x1;
        var (x, f, weights) = Profile(40, start, l, v => Slab(v, lo, hi, x1, x1 + thickness, w, l));

        var fit = new InterfaceFit().Fit(x, f, weights, start, l);

        Assert.Equal(InterfaceFitStatus.Fitted, fit.Status);
        Assert.Equal(x1, fit.Position1, 5);
        Assert.Equal(x2, fit.Position2, 5);
        Assert.Equal(w, fit.Width, 5);
        Assert.Equal(lo, fit.Low, 5);
        Assert.Equal(hi, fit.High, 5);
        Assert.Equal(thickness, fit.SolidThickness, 5);
        Assert.True(fit.RSquared > 0.999999);
    }

    [Fact]
    public void ANoisySlabProfileIsFittedWithinItsStandardErrors()
    {
        // Binomial noise of 60 particles per slab, some slabs empty (as between crystal planes).
        const double l = 16, x1 = 5.3, x2 = 10.1, w = 0.7;
        var random = new Random(7);
        var x = Enumerable.Range(0, 48).Select(k => (k + 0.5) * l / 48).ToArray();
        var counts = x.Select((_, k) => k % 7 == 3 ? 0.0 : 60.0).ToArray();
        var f = x.Select((v, k) =>
        {
            if (counts[k] == 0) return double.NaN;
            double p = Slab(v, 0.02, 0.97, x1, x2, w, l);
            return Enumerable.Range(0, 60).Count(_ => random.NextDouble() < p) / 60.0;
        }).ToArray();

        var fit = new InterfaceFit().Fit(x, f, counts, 0, l);

        Assert.Equal(InterfaceFitStatus.Fitted, fit.Status);
        Assert.InRange(fit.Position1, x1 - 0.2, x1 + 0.2);
        Assert.InRange(fit.Position2, x2 - 0.2, x2 + 0.2);
        Assert.InRange(fit.Width, 0.4, 1.0);
        Assert.True(fit.Position1Error is > 0 and < 0.2, $"standard error {fit.Position1Error}");
        Assert.True(fit.RSquared > 0.95);
    }

    [Theory]
    [InlineData(6.3, 1.1, -0.45)] // solid below x0
    [InlineData(13.0, 0.5, 0.4)]  // solid above x0
    public void ASyntheticSingleInterfaceGivesBackItsParameters(double x0, double w, double b)
    {
        const double a = 0.5, l = 20;
        var (x, f, weights) = Profile(40, 0, l, v => a + b * Math.Tanh((v - x0) / w));

        var fit = new InterfaceFit(InterfaceGeometry.Single).Fit(x, f, weights, 0, l);

        Assert.Equal(InterfaceFitStatus.Fitted, fit.Status);
        Assert.Equal(x0, fit.Position1, 5);
        Assert.Equal(w, fit.Width, 5);
        Assert.Equal(a - Math.Abs(b), fit.Low, 5);
        Assert.Equal(a + Math.Abs(b), fit.High, 5);
        Assert.Equal(b > 0, fit.SolidAbove);
        Assert.True(double.IsNaN(fit.Position2));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(0.4)]
    public void AFlatProfileHasNoInterface(double level)
    {
        var random = new Random(3);
        var (x, f, weights) = Profile(40, 0, 20, _ => Math.Clamp(level + 0.05 * (random.NextDouble() - 0.5), 0, 1));
        foreach (var geometry in new[] { InterfaceGeometry.PeriodicSlab, InterfaceGeometry.Single })
        {
            var fit = new InterfaceFit(geometry).Fit(x, f, weights, 0, 20);
            Assert.Equal(InterfaceFitStatus.NoInterface, fit.Status);
            Assert.False(fit.Found);
            Assert.True(double.IsNaN(fit.Position1));
            Assert.Equal(level, fit.Low, 1);
            Assert.Contains("flat", fit.Message);
        }
    }

    [Fact]
    public void TooFewFilledSlabsIsAFailureNotAnException()
    {
        var fit = new InterfaceFit().Fit([1, 2, 3, 4, 5, 6], [0, 0, 1, 1, 0, 0], [1, 1, 1, 0, 0, 0], 0, 6);
        Assert.Equal(InterfaceFitStatus.Failed, fit.Status);
        Assert.Contains("slabs hold particles", fit.Message);
    }

    [Fact]
    public void ProfileSlabsFollowTheLatticePlanesOfATriclinicCell()
    {
        // c is tilted: slabs along c are planes parallel to a and b, spaced by the perpendicular width c_z.
        var box = new SimulationBox(new(10, 0, 0), new(3, 9, 0), new(2.5, -1.5, 12), new(1, 2, -4));
        var random = new Random(5);
        const int n = 4000;
        var (x, y, z) = (new float[n], new float[n], new float[n]);
        var solid = new bool[n];
        for (int i = 0; i < n; i++)
        {
            double sc = random.NextDouble();
            // Positions outside the cell too: the profile wraps them.
            var r = box.ToCartesian(random.NextDouble() * 3 - 1, random.NextDouble(), sc + random.Next(-1, 2));
            (x[i], y[i], z[i]) = ((float)r.X, (float)r.Y, (float)r.Z);
            solid[i] = sc is > 0.25 and < 0.5;
        }

        var profile = new SolidFractionProfile(axis: 2, bins: 8).Compute(box, x, y, z, solid);

        Assert.Equal(12.0, profile.Length, 9);  // a × b is along z: the width is c_z
        Assert.Equal(-4.0, profile.Start, 9);   // the origin plane z = −4
        Assert.Equal(1.5, profile.BinWidth, 9);
        Assert.Equal(n, profile.Counts.ToArray().Sum());
        Assert.Equal([0, 0, 1, 1, 0, 0, 0, 0], profile.Fractions.ToArray().Select(v => Math.Round(v, 9)));
        Assert.Equal(-4 + 0.75, profile.Positions[0], 9);

        // Along a: the planes are parallel to b and c; the width is V / |b × c|.
        var alongA = new SolidFractionProfile(axis: 0, bins: 5).Compute(box, x, y, z, solid);
        double volume = box.Volume;
        Assert.Equal(volume / box.B.Cross(box.C).Length, alongA.Length, 9);
    }

    [Fact]
    public void TheTrackerFollowsAnInterfaceAcrossTheBoundaryAtConstantVelocity()
    {
        // A slab growing at 0.3 per unit time on each side, centred at 18 in a box of 20: the upper face crosses 20 → 0.
        const double l = 20, v = 0.3;
        var tracker = new InterfaceTracker(window: 3);
        InterfaceMotion? motion = null;
        for (int k = 0; k < 8; k++)
        {
            double t = 10 + 2.5 * k, half = 1 + v * (t - 10);
            double p1 = (18 - half + l) % l, p2 = (18 + half) % l;
            var fit = new InterfaceFitResult
            {
                Status = InterfaceFitStatus.Fitted, Geometry = InterfaceGeometry.PeriodicSlab, Start = 0, Length = l,
                Position1 = p1, Position2 = p2, Width = 0.5, Low = 0, High = 1,
            };
            motion = tracker.Add(t, fit);
            if (k == 0) Assert.True(double.IsNaN(motion.GrowthVelocity));
            else
            {
                Assert.Equal(-v, motion.Velocity1, 9);
                Assert.Equal(v, motion.Velocity2, 9);
                Assert.Equal(v, motion.GrowthVelocity, 9);
            }
        }
        Assert.Equal(18 + 1 + v * 17.5, motion!.Unwrapped2, 9); // continuous past the boundary

        // A frame without an interface gives NaN and leaves the history alone.
        var none = tracker.Add(40, new InterfaceFitResult { Status = InterfaceFitStatus.NoInterface, Geometry = InterfaceGeometry.PeriodicSlab });
        Assert.True(double.IsNaN(none.GrowthVelocity));
    }

    [Fact]
    public void TheTrackerGivesTheGrowthOfASingleInterfaceBySide()
    {
        var tracker = new InterfaceTracker(window: 2);
        InterfaceFitResult Fit(double x0, bool above) => new()
        {
            Status = InterfaceFitStatus.Fitted, Geometry = InterfaceGeometry.Single, Start = 0, Length = 30,
            Position1 = x0, Width = 1, Low = 0, High = 1, SolidAbove = above,
        };
        tracker.Add(0, Fit(10, above: true));
        var m = tracker.Add(2, Fit(9, above: true)); // solid above moving down: growing
        Assert.Equal(-0.5, m.Velocity1, 12);
        Assert.Equal(0.5, m.GrowthVelocity, 12);
        var restarted = tracker.Add(1, Fit(9, above: true)); // time went back: history starts over
        Assert.True(double.IsNaN(restarted.Velocity1));
    }

    [Fact]
    public void ABarostatsSmallBoxChangesKeepTheVelocityAndADifferentBoxStartsOver()
    {
        var tracker = new InterfaceTracker(window: 2);
        InterfaceFitResult Fit(double x0, double length) => new()
        {
            Status = InterfaceFitStatus.Fitted, Geometry = InterfaceGeometry.Single, Start = 0, Length = length,
            Position1 = x0, Width = 1, Low = 0, High = 1,
        };
        tracker.Add(0, Fit(10, 30));
        Assert.Equal(0.5, tracker.Add(2, Fit(11, 30.2)).Velocity1, 12); // NPT: the box breathes by 0.7 %
        Assert.True(double.IsNaN(tracker.Add(4, Fit(12, 40)).Velocity1)); // another system
    }

    /// <summary>
    /// The shipped seeded quench run by the real lmp (melted long enough that only the seed slab at 0.4–0.6 of the box is
    /// crystalline), then LAMMPS' own solid flags for every frame by a rerun: ten Wolde bonds from
    /// <c>compute orientorder/atom</c> q6 components (12 nearest within 1.5) counted by <c>compute coord/atom orientorder</c>
    /// with threshold 0.7; solid with at least 7 bonds. Independent of this project's Steinhardt code on purpose.
    /// </summary>
    internal static string SeededQuenchWithSolidBonds(string directory, int cells = 8, int runSteps = 2000, int dumpEvery = 200)
    {
        var dump = Path.Combine(directory, "quench.lammpstrj");
        ExternalProcess.Run("lmp", Lammps.QuenchArguments(dump, cells, meltSteps: 1000, runSteps: runSteps, dumpEvery: dumpEvery), directory);
        Lammps.Rerun(directory, "quench.lammpstrj", $"""
            compute q6 all orientorder/atom degrees 1 6 components 6 nnn 12 cutoff 1.5
            compute bonds all coord/atom orientorder q6 0.7
            dump d all custom {dumpEvery} flags.lammpstrj id type x y z c_bonds
            dump_modify d sort id
            """);
        return Path.Combine(directory, "flags.lammpstrj");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void TheSeededLammpsSlabGrowsOutwardFromWhereItWasSeeded()
    {
        using var temp = new TempDirectory();
        var path = SeededQuenchWithSolidBonds(temp.Path);

        var profile = new SolidFractionProfile(axis: 2, bins: 32);
        var fitter = new InterfaceFit();
        var tracker = new InterfaceTracker(window: 11);
        var motions = new List<InterfaceMotion>();
        double length = 0;
        using (var reader = TrajectoryReader.Open(path))
            while (reader.Read() is { } frame)
                using (frame)
                {
                    var bonds = frame.Column("c_bonds")!.Values;
                    var solid = new bool[frame.AtomCount];
                    for (int i = 0; i < solid.Length; i++) solid[i] = bonds[i] >= 7;
                    var fit = fitter.Fit(profile.Compute(frame, solid));
                    length = fit.Length;
                    var m = tracker.Add(frame.Step, fit);
                    motions.Add(m);
                    output.WriteLine($"step {frame.Step}: {fit.Status} x1 {fit.Position1:0.###} x2 {fit.Position2:0.###} w {fit.Width:0.###} " +
                        $"lo {fit.Low:0.###} hi {fit.High:0.###} R² {fit.RSquared:0.###} growth {m.GrowthVelocity:0.#####}/step");
                }

        Assert.Equal(11, motions.Count);
        Assert.All(motions, m => Assert.Equal(InterfaceFitStatus.Fitted, m.Fit.Status));
        var first = motions[0].Fit;
        // At the first frame the interfaces are where the seed slab was cut, z = 0.4 L and 0.6 L, within the interface's
        // width (10–90 %: 2.197 w; the liquid touching the seed is already layered, so the faces sit a little outside).
        double tolerance = Math.Max(2.197 * first.Width, length / profile.Bins);
        Assert.InRange(first.Position1, 0.4 * length - tolerance, 0.4 * length + tolerance);
        Assert.InRange(first.Position2, 0.6 * length - tolerance, 0.6 * length + tolerance);
        Assert.True(first.High > 0.8 && first.Low < 0.1, $"plateaus {first.Low}, {first.High}");

        // Later the faces have moved outward and the slab is thicker; the growth velocity over the run is positive.
        var last = motions[^1];
        Assert.True(last.Unwrapped1 < motions[0].Unwrapped1 - 0.5, $"lower face {motions[0].Unwrapped1} → {last.Unwrapped1}");
        Assert.True(last.Unwrapped2 > motions[0].Unwrapped2 + 0.5, $"upper face {motions[0].Unwrapped2} → {last.Unwrapped2}");
        Assert.True(last.GrowthVelocity > 0, $"growth velocity {last.GrowthVelocity}");
        Assert.True(last.Fit.SolidThickness > first.SolidThickness + 1);
    }
}
