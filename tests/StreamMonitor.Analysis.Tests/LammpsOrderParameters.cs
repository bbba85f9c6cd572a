using StreamMonitor.Analysis.Neighbors;
using StreamMonitor.Core;
using StreamMonitor.Ingest;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Analysis.Tests;

/// <summary>
/// Reference order parameters from the real <c>lmp</c>, shared by <see cref="SteinhardtTests"/> and
/// <see cref="SolidBondsTests"/>: the shipped seeded quench (a crystal slab growing into its liquid, so both phases are
/// there) and a triclinic fcc crystal being heated, each re-read by a LAMMPS <c>rerun</c> that computes
/// <c>orientorder/atom</c> (12 nearest within 2.0 and within 1.5, every neighbour within 1.5) and
/// <c>coord/atom orientorder</c> solid bonds, dumped next to the coordinates it read with 10 significant digits.
/// </summary>
public sealed class LammpsOrderParameters : IDisposable
{
    /// <summary>The computes every rerun defines; column names in the dumps are c_ID[k].</summary>
    /// <remarks>
    /// qn: degrees 3 4 6 8 with w_l, ŵ_l and q6 components, 12 nearest within 2.0 (the pair cutoff, LAMMPS' default);
    /// qs: the same 12 nearest but within 1.5, where some liquid atoms have fewer than 12 and LAMMPS writes 0;
    /// qc: every neighbour within 1.5 (nnn NULL); q6 + bonds: ten Wolde bonds, threshold 0.7, within 1.5.
    /// </remarks>
    public const string Computes = """
        compute qn all orientorder/atom degrees 4 3 4 6 8 wl yes wl/hat yes components 6 nnn 12 cutoff 2.0
        compute qs all orientorder/atom degrees 2 4 6 nnn 12 cutoff 1.5
        compute qc all orientorder/atom degrees 4 3 4 6 8 wl yes wl/hat yes components 6 nnn NULL cutoff 1.5
        compute q6 all orientorder/atom degrees 1 6 components 6 nnn 12 cutoff 1.5
        compute bonds all coord/atom orientorder q6 0.7
        """;

    private readonly TempDirectory _dir = new("streammonitor-order-");

    public LammpsOrderParameters()
    {
        var quench = Path.Combine(_dir.Path, "quench.lammpstrj");
        ExternalProcess.Run("lmp", Lammps.QuenchArguments(quench, cells: 7, meltSteps: 600, runSteps: 1600, dumpEvery: 400), _dir.Path);
        Quench = Rerun("quench.lammpstrj", "quench-order.lammpstrj", "block 0 1 0 1 0 1", every: 400);

        // fcc with tilts that are whole lattice spacings, so the crystal is perfect across the tilted boundaries; heated
        // at T = 1.6 it disorders from frame to frame.
        Lammps.RunInput(_dir.Path, Lammps.LjSystem("prism 0 6 0 5 0 5 2 -1 1", density: 1.0, temperature: 1.6, seed: 5531) + """
            dump d all custom 60 tri.lammpstrj id type x y z
            dump_modify d sort id
            run 180
            """);
        Triclinic = Rerun("tri.lammpstrj", "tri-order.lammpstrj", "prism 0 1 0 1 0 1 0 0 0", every: 60);
    }

    /// <summary>The quench with LAMMPS' values: 1372 atoms, 5 frames (the first with a perfect seed slab).</summary>
    public IReadOnlyList<Frame> Quench { get; }

    /// <summary>The triclinic run with LAMMPS' values: 600 atoms, 4 frames.</summary>
    public IReadOnlyList<Frame> Triclinic { get; }

    public void Dispose()
    {
        foreach (var f in Quench.Concat(Triclinic)) f.Dispose();
        _dir.Dispose();
    }

    private List<Frame> Rerun(string input, string output, string region, int every)
    {
        Lammps.Rerun(_dir.Path, input, $"""
            {Computes}
            dump d all custom {every} {output} id x y z c_qn[*] c_qs[*] c_qc[*] c_q6[*] c_bonds
            dump_modify d sort id format float %.10g
            """, region);
        using var reader = TrajectoryReader.Open(Path.Combine(_dir.Path, output));
        return [.. reader.ReadAll()];
    }

    /// <summary>LAMMPS' per-atom value column c_ID[k] (1-based k).</summary>
    public static ReadOnlySpan<double> Column(Frame frame, string compute, int k) =>
        (frame.Column($"c_{compute}[{k}]") ?? throw new InvalidOperationException($"no column c_{compute}[{k}]")).Values;

    /// <summary>Every neighbour within <paramref name="cutoff"/> of every atom, sorted by distance (our float positions).</summary>
    public static NeighborList Within(Frame frame, double cutoff) => NeighborQuery.FromFrame(frame, cutoff).WithinCutoff(cutoff);

    /// <summary>
    /// Atoms whose neighbour selection is a coin toss at our precision (positions are float, ~1e-6 here, LAMMPS' double):
    /// the 12th and 13th nearest within <paramref name="margin"/> of each other when <paramref name="nearest"/> is set, or
    /// a neighbour within <paramref name="margin"/> of <paramref name="cutoff"/>.
    /// </summary>
    public static bool[] Ambiguous(NeighborList wide, double cutoff, int? nearest, double margin = 1e-5)
    {
        var result = new bool[wide.Count];
        for (int i = 0; i < wide.Count; i++)
        {
            var d = wide.Distances(i);
            foreach (float r in d)
                if (Math.Abs(r - cutoff) < margin) result[i] = true;
            if (nearest is { } k && d.Length > k && d[k - 1] < cutoff && Math.Abs(d[k] - d[k - 1]) < margin) result[i] = true;
        }
        return result;
    }
}

[CollectionDefinition(Name)]
public sealed class LammpsOrderCollection : ICollectionFixture<LammpsOrderParameters>
{
    public const string Name = "LAMMPS order parameters";
}
