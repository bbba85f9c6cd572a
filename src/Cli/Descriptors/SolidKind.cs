using StreamMonitor.Analysis.Clusters;
using StreamMonitor.Core;

namespace StreamMonitor.Cli.Descriptors;

/// <summary>
/// <c>--kind solid</c>: ten Wolde solid bonds per atom (<c>frame,id,bonds,solid,cluster</c>): the number of neighbours whose
/// normalised q6 vector is aligned with the atom's (product above <c>--threshold</c>), whether that makes the atom solid
/// (at least <c>--bonds</c>), and the id of the solid cluster it belongs to (1 = the largest, n_max; 0 for a liquid atom).
/// Bonds are counted as LAMMPS <c>compute coord/atom orientorder</c> does (see <see cref="SolidParticles"/>, shared with
/// <c>--kind cluster</c>, so both kinds agree on which atoms are solid and how clusters link). One summary line per frame
/// on stderr: solid count and largest cluster.
/// </summary>
internal sealed class SolidKind : DescriptorKind
{
    private SolidParticles? _solid;
    private int? _nearest;
    private double? _cutoff;
    private readonly ClusterAnalysis _clusters = new();

    public override string Name => "solid";

    public override string Description =>
        "ten Wolde solid bonds per atom (q6; --threshold, --bonds; neighbours --nnn/--cutoff) and the id of its solid cluster (1 = largest, 0 = liquid)";

    public override string Header => "frame,id,bonds,solid,cluster";

    public override void Configure(DescriptorOptions options)
    {
        (_nearest, _cutoff) = SteinhardtKind.NeighborOptions(options);
        _solid = SolidParticles.FromOptions(options);
    }

    public override void Write(Frame frame, CsvWriter csv, TextWriter summary)
    {
        var solid = _solid ?? throw new InvalidOperationException("Configure was not called");
        double half = SteinhardtKind.HalfBox(frame);
        if (_cutoff is { } rc && rc > half)
            throw new ArgumentException(
                $"--cutoff {rc:G6} is more than half the box ({half:G6}, half the smallest distance between opposite faces of the cell): " +
                "atoms would see neighbours through more than one periodic image; use a smaller cutoff or a larger system");
        var (bonds, links) = solid.Compute(frame);
        if (_cutoff is null) SteinhardtKind.CheckReach(links, _nearest!.Value, half);
        var clusters = _clusters.Compute(frame, links, bonds.Solid);

        var ids = frame.Ids;
        var counts = bonds.Bonds;
        var flags = bonds.Solid;
        var clusterIds = clusters.ClusterIds;
        for (int i = 0; i < frame.AtomCount; i++)
        {
            csv.Field(frame.Index);
            csv.Field(ids[i]);
            csv.Field(counts[i]);
            csv.Field(flags[i] ? 1 : 0);
            csv.Field(clusterIds[i]);
            csv.EndRow();
        }
        summary.WriteLine(
            $"frame {frame.Index}: {bonds.SolidCount} of {frame.AtomCount} atoms solid, largest solid cluster {clusters.LargestSize} ({clusters.Count} clusters)");
    }
}
