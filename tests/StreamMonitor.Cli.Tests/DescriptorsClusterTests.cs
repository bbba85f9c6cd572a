using System.Globalization;
using StreamMonitor.Ingest;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests;

/// <summary>
/// <c>streammonitor descriptors --kind cluster</c> and <c>--kind interface</c> on the shipped seeded quench, run by the real
/// lmp, checked against LAMMPS' own solid bonds (a rerun with <c>compute orientorder/atom</c> and
/// <c>compute coord/atom orientorder</c>) clustered here by brute force, and against where the seed slab was cut.
/// </summary>
[Trait("Category", "Slow")]
public sealed class DescriptorsClusterTests : IClassFixture<DescriptorsClusterTests.SeededQuench>
{
    private readonly SeededQuench _run;

    public DescriptorsClusterTests(SeededQuench run) => _run = run;

    /// <summary>
    /// 2048 LJ atoms melted long enough that only the seed slab (z between 0.4 and 0.6 of the box) is crystalline, then
    /// quenched: the slab grows. Six frames 400 steps apart, and LAMMPS' solid-bond counts of the same frames.
    /// </summary>
    public sealed class SeededQuench : IDisposable
    {
        private readonly TempDirectory _dir = new("streammonitor-cluster-");

        public SeededQuench()
        {
            Dump = Path.Combine(_dir.Path, "quench.lammpstrj");
            ExternalProcess.Run("lmp", Lammps.QuenchArguments(Dump, cells: 8, meltSteps: 1000, runSteps: 2000, dumpEvery: 400), _dir.Path);
            Lammps.Rerun(_dir.Path, "quench.lammpstrj", """
                compute q6 all orientorder/atom degrees 1 6 components 6 nnn 12 cutoff 1.5
                compute bonds all coord/atom orientorder q6 0.7
                dump d all custom 400 bonds.lammpstrj id x y z c_bonds
                dump_modify d sort id
                """);
            using var reader = TrajectoryReader.Open(Path.Combine(_dir.Path, "bonds.lammpstrj"));
            while (reader.Read() is { } frame)
                using (frame)
                {
                    BoxLength = frame.Box.C.Z;
                    var bonds = frame.Column("c_bonds")!.Values;
                    var solid = new bool[frame.AtomCount];
                    for (int i = 0; i < solid.Length; i++) solid[i] = bonds[i] >= 7;
                    ReferenceLargest.Add(LargestCluster(frame.X.ToArray(), frame.Y.ToArray(), frame.Z.ToArray(), solid, BoxLength, 1.5));
                }
        }

        public string Dump { get; }

        public double BoxLength { get; private set; }

        /// <summary>Per frame, the largest cluster of LAMMPS-solid atoms (bonded within 1.5), found by brute force.</summary>
        public List<int> ReferenceLargest { get; } = [];

        public void Dispose() => _dir.Dispose();

        private static int LargestCluster(float[] x, float[] y, float[] z, bool[] solid, double l, double cutoff)
        {
            int n = x.Length;
            var parent = Enumerable.Range(0, n).ToArray();
            int Find(int i) => parent[i] == i ? i : parent[i] = Find(parent[i]);
            for (int i = 0; i < n; i++)
                for (int j = i + 1; j < n; j++)
                {
                    if (!solid[i] || !solid[j]) continue;
                    double dx = x[j] - x[i], dy = y[j] - y[i], dz = z[j] - z[i];
                    dx -= l * Math.Round(dx / l);
                    dy -= l * Math.Round(dy / l);
                    dz -= l * Math.Round(dz / l);
                    if (dx * dx + dy * dy + dz * dz < cutoff * cutoff) parent[Find(i)] = Find(j);
                }
            return Enumerable.Range(0, n).Where(i => solid[i]).GroupBy(Find).Select(g => g.Count()).DefaultIfEmpty(0).Max();
        }
    }

    private static List<Dictionary<string, string>> Csv(string text, string expectedHeader)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expectedHeader, lines[0]);
        var names = lines[0].Split(',');
        return lines.Skip(1).Select(l =>
        {
            var fields = l.Split(',');
            Assert.Equal(names.Length, fields.Length);
            return names.Zip(fields).ToDictionary(p => p.First, p => p.Second);
        }).ToList();
    }

    private static double D(Dictionary<string, string> row, string name) => double.Parse(row[name], CultureInfo.InvariantCulture);

    [Fact]
    public void ClusterRowsRankTheSolidClustersAndTheLargestIsTheGrowingSlab()
    {
        var r = StreamMonitorCli.Run("descriptors", _run.Dump, "--kind", "cluster", "--nnn", "12", "--cutoff", "1.5");
        Assert.True(r.ExitCode == 0, r.StandardError);
        var rows = Csv(r.StandardOutput, "frame,cluster,size,com_x,com_y,com_z,rg,percolating");

        var frames = rows.GroupBy(row => int.Parse(row["frame"], CultureInfo.InvariantCulture)).OrderBy(g => g.Key).ToList();
        Assert.Equal(Enumerable.Range(0, 6), frames.Select(g => g.Key));
        var largest = new List<int>();
        foreach (var frame in frames)
        {
            var clusters = frame.ToList();
            Assert.Equal(Enumerable.Range(1, clusters.Count), clusters.Select(c => int.Parse(c["cluster"], CultureInfo.InvariantCulture)));
            var sizes = clusters.Select(c => int.Parse(c["size"], CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(sizes.OrderDescending(), sizes);
            Assert.True(sizes.Sum() <= 2048);
            largest.Add(sizes[0]);

            // The largest cluster is the slab: it spans the box in x and y, and sits around the middle in z.
            var slab = clusters[0];
            Assert.Equal("1", slab["percolating"]);
            Assert.InRange(D(slab, "com_z"), 0.4 * _run.BoxLength, 0.6 * _run.BoxLength);
            Assert.All(clusters.Skip(1), c => Assert.Equal("0", c["percolating"]));
            Assert.All(clusters, c => Assert.True(D(c, "rg") >= 0));
        }
        Assert.True(largest[^1] > largest[0] + 200, $"n_max {largest[0]} → {largest[^1]}");
        // n_max agrees with LAMMPS' own solid bonds clustered by brute force (the solid criterion may differ at the margin).
        for (int f = 0; f < largest.Count; f++)
            Assert.InRange(largest[f], 0.95 * _run.ReferenceLargest[f], 1.05 * _run.ReferenceLargest[f]);
    }

    [Fact]
    public void InterfaceRowsPlaceTheSeedFacesAndShowThemMovingOutward()
    {
        var r = StreamMonitorCli.Run("descriptors", _run.Dump, "--kind", "interface", "--axis", "z", "--bins", "32", "--nnn", "12", "--cutoff", "1.5");
        Assert.True(r.ExitCode == 0, r.StandardError);
        var rows = Csv(r.StandardOutput, "frame,step,time,status,position1,position2,width,low,high,rsquared,velocity1,velocity2,velocity");

        Assert.Equal(6, rows.Count);
        for (int f = 0; f < rows.Count; f++)
        {
            Assert.Equal(f.ToString(CultureInfo.InvariantCulture), rows[f]["frame"]);
            Assert.Equal(400.0 * f, D(rows[f], "step"));
            Assert.Equal(400.0 * f, D(rows[f], "time")); // no time in the dump: the step
            Assert.Equal("fitted", rows[f]["status"]);
        }
        double l = _run.BoxLength, w = D(rows[0], "width");
        double tolerance = Math.Max(2.197 * w, l / 32);
        Assert.InRange(D(rows[0], "position1"), 0.4 * l - tolerance, 0.4 * l + tolerance);
        Assert.InRange(D(rows[0], "position2"), 0.6 * l - tolerance, 0.6 * l + tolerance);
        Assert.Equal("NaN", rows[0]["velocity"]); // one frame gives no velocity yet

        var last = rows[^1];
        Assert.True(D(last, "position1") < D(rows[0], "position1") - 0.5);
        Assert.True(D(last, "position2") > D(rows[0], "position2") + 0.5);
        Assert.True(D(last, "velocity") > 0, $"velocity {last["velocity"]}");
        Assert.True(D(last, "velocity1") < 0 && D(last, "velocity2") > 0);
    }

    [Theory]
    [InlineData("interface", "--bins", "1", "--bins")]
    [InlineData("cluster", "--bonds", "0", "--bonds")]
    public void BadOptionsAreOneLineAndExitCode2(string kind, string option, string value, string named)
    {
        var r = StreamMonitorCli.Run("descriptors", _run.Dump, "--kind", kind, option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("", r.StandardOutput);
        var line = Assert.Single(r.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("streammonitor: ", line);
        Assert.Contains(named, line);
    }
}
