using System.Numerics;
using StreamMonitor.Analysis.Neighbors;
using StreamMonitor.Analysis.OrderParameters;
using StreamMonitor.Analysis.Parallelism;
using StreamMonitor.Core;
using StreamMonitor.TestSupport;
using Xunit.Abstractions;

namespace StreamMonitor.Analysis.Tests;

/// <summary>
/// <see cref="Steinhardt"/> against LAMMPS <c>compute orientorder/atom</c> on every atom of real runs (1e-5), against the
/// known values of ideal lattices, and (for the Lechner–Dellago average, which LAMMPS 2021 lacks) against a slow direct
/// implementation written here from the textbook definitions.
/// </summary>
[Collection(LammpsOrderCollection.Name)]
public sealed class SteinhardtTests(LammpsOrderParameters lammps, ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    public static TheoryData<string> Runs => new() { "quench", "triclinic" };

    private IReadOnlyList<Frame> Frames(string run) => run == "quench" ? lammps.Quench : lammps.Triclinic;

    /// <summary>
    /// Compares one LAMMPS orientorder/atom compute (degrees 3 4 6 8, wl, wl/hat, components 6) with ours on every atom
    /// of every frame; atoms whose neighbour choice is a tie at float precision are skipped, counted, and must be rare.
    /// </summary>
    private void AssertMatches(IReadOnlyList<Frame> frames, string compute, Func<NeighborQuery, NeighborList> neighbors,
        double cutoff, int? nearest)
    {
        int[] degrees = [3, 4, 6, 8];
        var steinhardt = new Steinhardt(degrees, wl: true, components: 6);
        int compared = 0, skipped = 0;
        double worst = 0;
        foreach (var frame in frames)
        {
            var result = steinhardt.Compute(neighbors(NeighborQuery.FromFrame(frame, 2.0)));
            var ambiguous = LammpsOrderParameters.Ambiguous(LammpsOrderParameters.Within(frame, cutoff + 0.01), cutoff, nearest);
            for (int i = 0; i < frame.AtomCount; i++)
            {
                if (ambiguous[i])
                {
                    skipped++;
                    continue;
                }
                compared++;
                int column = 1;
                void Check(double expected, double actual, string what)
                {
                    worst = Math.Max(worst, Math.Abs(expected - actual));
                    if (!(Math.Abs(expected - actual) <= Tolerance))
                        Assert.Fail($"frame {frame.Index}, atom id {frame.Ids[i]}: {what} is {actual}, LAMMPS {expected}");
                }
                foreach (int l in degrees) Check(LammpsOrderParameters.Column(frame, compute, column++)[i], result.Ql(l)[i], $"q{l}");
                foreach (int l in degrees) Check(LammpsOrderParameters.Column(frame, compute, column++)[i], result.Wl(l)[i], $"w{l}");
                foreach (int l in degrees) Check(LammpsOrderParameters.Column(frame, compute, column++)[i], result.WlHat(l)[i], $"w{l}hat");
                var q6 = result.Components(i);
                for (int m = 0; m < 13; m++)
                {
                    Check(LammpsOrderParameters.Column(frame, compute, column++)[i], q6[m].Real, $"Re q6({m - 6})");
                    Check(LammpsOrderParameters.Column(frame, compute, column++)[i], q6[m].Imaginary, $"Im q6({m - 6})");
                }
            }
        }
        output.WriteLine($"{compute}: {compared} atom-frames compared, {skipped} skipped as ties, largest difference {worst:G3}");
        Assert.True(skipped <= Math.Max(2, compared / 200), $"{skipped} atoms skipped as ties, {compared} compared");
        Assert.True(worst < Tolerance, $"largest difference {worst}");
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void TwelveNearestMatchLammpsOnEveryAtom(string run) =>
        AssertMatches(Frames(run), "qn", q => q.Nearest(12, 2.0), 2.0, 12);

    [Theory]
    [MemberData(nameof(Runs))]
    public void EveryNeighbourWithinACutoffMatchesLammpsNnnNull(string run) =>
        AssertMatches(Frames(run), "qc", q => q.WithinCutoff(1.5), 1.5, null);

    [Fact]
    public void AnIncompleteShellGivesZeroAsInLammps()
    {
        // 12 nearest within 1.5: in the liquid some atoms have fewer, and LAMMPS writes 0 for them.
        var steinhardt = new Steinhardt([4, 6]);
        int zeros = 0;
        foreach (var frame in lammps.Quench)
        {
            var query = NeighborQuery.FromFrame(frame, 1.5);
            var result = steinhardt.Compute(query.Nearest(12, 1.5));
            // The same selection from a cutoff list: the first 12 of each sorted list, too few = undefined.
            var fromCutoff = new Steinhardt([4, 6], nearest: 12).Compute(query.WithinCutoff(1.5));
            var ambiguous = LammpsOrderParameters.Ambiguous(LammpsOrderParameters.Within(frame, 1.51), 1.5, 12);
            for (int i = 0; i < frame.AtomCount; i++)
            {
                Assert.Equal(result.Ql(6)[i], fromCutoff.Ql(6)[i]);
                Assert.Equal(result.Defined[i], fromCutoff.Defined[i]);
                if (ambiguous[i]) continue;
                double q4 = LammpsOrderParameters.Column(frame, "qs", 1)[i], q6 = LammpsOrderParameters.Column(frame, "qs", 2)[i];
                Assert.Equal(q6 != 0, result.Defined[i]);
                Assert.True(Math.Abs(q4 - result.Ql(4)[i]) < Tolerance && Math.Abs(q6 - result.Ql(6)[i]) < Tolerance,
                    $"frame {frame.Index}, atom id {frame.Ids[i]}: q4 {result.Ql(4)[i]} q6 {result.Ql(6)[i]}, LAMMPS {q4} {q6}");
                if (!result.Defined[i]) zeros++;
            }
        }
        Assert.InRange(zeros, 10, 6860 / 2); // the case occurs, and is not the rule
    }

    /// <summary>
    /// Results rent their arrays: one computed on the arrays a disposed result gave back (all its particles defined,
    /// values everywhere) still gives its undefined particles zeros, and a disposed result answers nothing.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void UndefinedParticlesGetZerosOnArraysAnEarlierResultGaveBack(bool average)
    {
        var box = SimulationBox.Orthogonal(12, 12, 12);
        var steinhardt = new Steinhardt([4, 6], average: average, wl: true, nearest: 12, maxDegreeOfParallelism: 1);
        var dense = RandomList(box, 3000, 1, 1.6);
        var first = steinhardt.Compute(dense);
        Assert.Equal(first.ParticleCount, first.DefinedCount);
        first.Dispose();
        first.Dispose(); // twice is harmless
        Assert.Throws<ObjectDisposedException>(() => first.Ql(4).ToArray());
        Assert.Throws<ObjectDisposedException>(() => first.WlHat(6).ToArray());

        // Fewer than 12 neighbours within the cutoff for many of the same number of particles: undefined.
        var sparse = steinhardt.Compute(RandomList(box, 3000, 2, 1.25));
        Assert.InRange(sparse.DefinedCount, 1, sparse.ParticleCount - 100);
        for (int i = 0; i < sparse.ParticleCount; i++)
        {
            if (sparse.Defined[i]) continue;
            foreach (int l in new[] { 4, 6 })
                Assert.Equal((0.0, 0.0, 0.0), (sparse.Ql(l)[i], sparse.Wl(l)[i], sparse.WlHat(l)[i]));
        }
    }

    private static NeighborList RandomList(SimulationBox box, int n, int seed, double cutoff)
    {
        var random = new Random(seed);
        var (x, y, z) = (new float[n], new float[n], new float[n]);
        for (int i = 0; i < n; i++)
            (x[i], y[i], z[i]) = ((float)(random.NextDouble() * 12), (float)(random.NextDouble() * 12), (float)(random.NextDouble() * 12));
        using var query = new NeighborQuery(box, x, y, z, cutoff);
        return query.WithinCutoff(cutoff);
    }

    public static TheoryData<string, int, double, double, double, double> Lattices => new()
    {
        // name, neighbours, q4, q6, ŵ4, ŵ6 (Steinhardt, Nelson and Ronchetti 1983; Mickel et al. 2013)
        { "fcc", 12, 0.19094, 0.57452, -0.159317, -0.013161 },
        { "hcp", 12, 0.09722, 0.48476, 0.134097, -0.012442 },
        { "bcc", 8, 0.50918, 0.62854, -0.159317, 0.013161 },
        { "bcc", 14, 0.03637, 0.51069, 0.159317, 0.013161 },
        { "sc", 6, 0.76376, 0.35355, 0.159317, 0.013161 },
    };

    [Theory]
    [MemberData(nameof(Lattices))]
    public void IdealLatticesGiveTheKnownValues(string lattice, int neighbors, double q4, double q6, double w4, double w6)
    {
        var (box, x, y, z) = TestSupport.Lattices.Build(lattice, 4);
        var result = new Steinhardt([4, 6], wl: true).Compute(new NeighborQuery(box, x, y, z, 1.0).Nearest(neighbors));
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(q4, result.Ql(4)[i], 5e-6);
            Assert.Equal(q6, result.Ql(6)[i], 5e-6);
            Assert.Equal(w4, result.WlHat(4)[i], 5e-6);
            Assert.Equal(w6, result.WlHat(6)[i], 5e-6);
        }
    }

    [Fact]
    public void AGeneralTriclinicCellOfOneAtomIsFcc()
    {
        // The primitive fcc cell: one atom, every neighbour is a periodic image of itself.
        var box = new SimulationBox(new(0, 0.5, 0.5), new(0.5, 0, 0.5), new(0.5, 0.5, 0), Vector3d.Zero);
        var list = new NeighborQuery(box, [0.1f], [0.2f], [0.3f], 0.8).WithinCutoff(0.8);
        Assert.Equal(12, list.CountOf(0));
        var result = new Steinhardt([4, 6]).Compute(list);
        Assert.Equal(0.19094, result.Ql(4)[0], 5e-6);
        Assert.Equal(0.57452, result.Ql(6)[0], 5e-6);
    }

    [Fact]
    public void AveragedQlMatchesADirectImplementation()
    {
        // LAMMPS 2021 has no averaged q̄_l; the reference is the definition, evaluated the slow way.
        foreach (var frame in new[] { lammps.Quench[2], lammps.Triclinic[3] })
        {
            var list = NeighborQuery.FromFrame(frame, 2.0).Nearest(12);
            int[] degrees = [4, 6, 8];
            var averaged = new Steinhardt(degrees, average: true, wl: true, components: 6).Compute(list);
            var plain = new Steinhardt(degrees).Compute(list);
            Assert.True(averaged.Averaged);
            foreach (int l in degrees)
            {
                var own = new Complex[frame.AtomCount][];
                for (int i = 0; i < frame.AtomCount; i++) own[i] = DirectQlm(list, i, l);
                for (int i = 0; i < frame.AtomCount; i++)
                {
                    Assert.Equal(Norm(own[i], l), plain.Ql(l)[i], 1e-9);
                    var mean = (Complex[])own[i].Clone();
                    var js = list.Neighbors(i);
                    foreach (int j in js)
                        for (int m = 0; m < mean.Length; m++) mean[m] += own[j][m];
                    for (int m = 0; m < mean.Length; m++) mean[m] /= js.Length + 1;
                    Assert.Equal(Norm(mean, l), averaged.Ql(l)[i], 1e-9);
                    if (l == 6)
                    {
                        double length = Math.Sqrt(mean.Sum(c => c.Magnitude * c.Magnitude));
                        for (int m = 0; m < mean.Length; m++)
                            Assert.True(Complex.Abs(mean[m] / length - averaged.Components(i)[m]) < 1e-9);
                    }
                }
            }
            // Averaging smooths thermal noise: q̄6 is below q6 on average (the mean of vectors is shorter than their mean length).
            Assert.True(averaged.Ql(6).ToArray().Average() < plain.Ql(6).ToArray().Average());
        }
    }

    /// <summary>
    /// ŵ_l is computed a vector of particles at a time: every particle gets its own, whatever its place among the
    /// particles, undefined ones (too few neighbours) and the remainder of a range included. The reference is ŵ_6 of
    /// each particle's own normalised q_6m (ŵ_l does not change with the length of q_lm), one at a time.
    /// </summary>
    [Theory]
    [InlineData(3001, false)]
    [InlineData(5003, false)]
    [InlineData(5003, true)]
    public void EveryParticleGetsItsOwnWlHat(int count, bool average)
    {
        var random = new Random(count);
        var box = SimulationBox.Orthogonal(16, 16, 16, new Vector3d(0, 0, 0));
        var (x, y, z) = (new float[count], new float[count], new float[count]);
        for (int i = 0; i < count; i++) (x[i], y[i], z[i]) = ((float)(16 * random.NextDouble()), (float)(16 * random.NextDouble()), (float)(16 * random.NextDouble()));
        var list = new NeighborQuery(box, x, y, z, 1.5).Nearest(12, 1.5);
        var result = new Steinhardt([4, 6], average: average, wl: true, components: 6).Compute(list);
        Assert.InRange(result.DefinedCount, count / 4, count - count / 20); // both kinds, mixed

        var terms = new Wigner3jTerms(6);
        var (fullRe, fullIm) = (new Vector<double>[13], new Vector<double>[13]);
        var (re, im) = (new double[7, Vector<double>.Count], new double[7, Vector<double>.Count]);
        for (int i = 0; i < count; i++)
        {
            if (!result.Defined[i])
            {
                Assert.Equal(0, result.WlHat(6)[i]);
                continue;
            }
            var q6 = result.Components(i);
            for (int m = 0; m <= 6; m++) (re[m, 0], im[m, 0]) = (q6[6 + m].Real, q6[6 + m].Imaginary);
            terms.Spread(Wigner3jTermsTests.ByLane(re), Wigner3jTermsTests.ByLane(im), fullRe, fullIm);
            Assert.Equal(terms.Evaluate(fullRe, fullIm)[0], result.WlHat(6)[i], 1e-12);
        }
    }

    [Fact]
    public void ParallelAndSerialGiveIdenticalResults()
    {
        var (box, x, y, z) = TestSupport.Lattices.Build("fcc", 12); // 6912 atoms: above the parallel threshold
        var random = new Random(17);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] += (float)(0.08 * (random.NextDouble() - 0.5));
            y[i] += (float)(0.08 * (random.NextDouble() - 0.5));
            z[i] += (float)(0.08 * (random.NextDouble() - 0.5));
        }
        // One core lends nothing, four lend what they have: the loops split the same work either way.
        var list = new NeighborQuery(box, x, y, z, 1.0, new CoreBudget(4)).Nearest(12);
        var serialList = new NeighborQuery(box, x, y, z, 1.0, new CoreBudget(1)).Nearest(12);
        foreach (bool average in new[] { false, true })
        {
            var serial = new Steinhardt([4, 6, 8], average: average, wl: true, components: 6, cores: new CoreBudget(1)).Compute(serialList);
            var capped = new Steinhardt([4, 6, 8], average: average, wl: true, components: 6, maxDegreeOfParallelism: 1).Compute(list);
            var parallel = new Steinhardt([4, 6, 8], average: average, wl: true, components: 6, cores: new CoreBudget(4)).Compute(list);
            foreach (var other in new[] { capped, parallel })
            {
                foreach (int l in new[] { 4, 6, 8 })
                {
                    Assert.Equal(serial.Ql(l).ToArray(), other.Ql(l).ToArray());
                    Assert.Equal(serial.WlHat(l).ToArray(), other.WlHat(l).ToArray());
                }
                for (int i = 0; i < x.Length; i++) Assert.Equal(serial.Components(i).ToArray(), other.Components(i).ToArray());
            }
        }
    }

    [Fact]
    public void BadParametersAreRejectedWithAReason()
    {
        Assert.Throws<ArgumentException>(() => new Steinhardt([]));
        Assert.Throws<ArgumentException>(() => new Steinhardt([6, 6]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Steinhardt([-1]));
        Assert.Contains("not one of the degrees", Assert.Throws<ArgumentException>(() => new Steinhardt([4], components: 6)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Steinhardt(nearest: 0));
        var result = new Steinhardt([4]).Compute(new NeighborQuery(SimulationBox.Orthogonal(2, 2, 2), [0f, 1f], [0f, 0f], [0f, 0f], 0.5).WithinCutoff(0.9));
        Assert.Contains("not computed", Assert.Throws<ArgumentOutOfRangeException>(() => result.Ql(6)).Message);
        Assert.Throws<InvalidOperationException>(() => result.WlHat(4));
        Assert.Throws<InvalidOperationException>(() => result.Components(0));
        Assert.Equal([false, false], result.Defined.ToArray()); // no neighbour within 0.9: undefined, 0
        Assert.Equal([0.0, 0.0], result.Ql(4).ToArray());
    }

    private static double Norm(Complex[] qlm, int l) =>
        Math.Sqrt(4 * Math.PI / (2 * l + 1) * qlm.Sum(c => c.Magnitude * c.Magnitude));

    /// <summary>q_lm, m = −l … l, of particle i: the mean of Y_lm over its bonds, angles from atan2/acos.</summary>
    private static Complex[] DirectQlm(NeighborList list, int i, int l)
    {
        var q = new Complex[2 * l + 1];
        var dx = list.Dx(i);
        var dy = list.Dy(i);
        var dz = list.Dz(i);
        for (int k = 0; k < dx.Length; k++)
        {
            double x = dx[k], y = dy[k], z = dz[k], r = Math.Sqrt(x * x + y * y + z * z);
            double theta = Math.Acos(z / r), phi = Math.Atan2(y, x);
            for (int m = -l; m <= l; m++) q[m + l] += Ylm(l, m, theta, phi);
        }
        for (int m = 0; m < q.Length; m++) q[m] /= dx.Length;
        return q;
    }

    /// <summary>
    /// Y_lm from Rodrigues' formula: P_l^m(x) = (−1)^m (1−x²)^{m/2} d^{l+m}/dx^{l+m} (x²−1)^l / (2^l l!), expanded as a
    /// polynomial (nothing shared with the recurrences of the code under test).
    /// </summary>
    private static Complex Ylm(int l, int m, double theta, double phi)
    {
        int am = Math.Abs(m);
        double x = Math.Cos(theta), derivative = 0;
        for (int k = 0; k <= l; k++)
        {
            int power = 2 * k, order = l + am;
            if (power < order) continue;
            double coefficient = Binomial(l, k) * ((l - k) % 2 == 0 ? 1 : -1) * Factorial(power) / Factorial(power - order);
            derivative += coefficient * Math.Pow(x, power - order);
        }
        double plm = (am % 2 == 0 ? 1 : -1) * Math.Pow(1 - x * x, am / 2.0) * derivative / (Math.Pow(2, l) * Factorial(l));
        double norm = Math.Sqrt((2 * l + 1) / (4 * Math.PI) * Factorial(l - am) / Factorial(l + am));
        var y = norm * plm * Complex.FromPolarCoordinates(1, am * phi);
        // Y_l,−m = (−1)^m Y_lm*
        return m >= 0 ? y : (am % 2 == 0 ? 1 : -1) * Complex.Conjugate(y);
    }

    private static double Factorial(int n)
    {
        double f = 1;
        for (int k = 2; k <= n; k++) f *= k;
        return f;
    }

    private static double Binomial(int n, int k) => Factorial(n) / (Factorial(k) * Factorial(n - k));
}
