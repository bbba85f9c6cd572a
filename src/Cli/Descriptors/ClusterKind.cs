using StreamMonitor.Analysis.Clusters;
using StreamMonitor.Core;

namespace StreamMonitor.Cli.Descriptors;

/// <summary>
/// <c>--kind cluster</c>: the connected clusters of solid particles (ten Wolde solid bonds, <see cref="SolidParticles"/>),
/// one row per cluster, largest first: cluster 1 of each frame is n_max, the classical nucleation coordinate. Solid
/// particles are linked when they are neighbours (the list the bonds were counted on). The centre of mass is taken
/// across periodic images and wrapped into the cell; <c>percolating</c> is 1 for a cluster bonded to its own periodic
/// image (it spans the box), whose centre is then a circular mean along the spanning directions.
/// </summary>
internal sealed class ClusterKind : DescriptorKind
{
    private SolidParticles? _solid;
    private readonly ClusterAnalysis _clusters = new();

    public override string Name => "cluster";

    public override string Description =>
        "clusters of solid particles (q6 solid bonds, --threshold, --bonds; neighbours --nnn/--cutoff), one row per cluster, largest first";

    public override string Header => "frame,cluster,size,com_x,com_y,com_z,rg,percolating";

    public override void Configure(DescriptorOptions options) => _solid = SolidParticles.FromOptions(options);

    public override void Write(Frame frame, CsvWriter csv, TextWriter summary)
    {
        var solid = _solid ?? throw new InvalidOperationException("Configure was not called");
        var (bonds, links) = solid.Compute(frame);
        var result = _clusters.Compute(frame, links, bonds.Solid);
        foreach (var c in result.Clusters)
        {
            csv.Field(frame.Index);
            csv.Field(c.Id);
            csv.Field(c.Size);
            csv.Field(c.CenterOfMass.X);
            csv.Field(c.CenterOfMass.Y);
            csv.Field(c.CenterOfMass.Z);
            csv.Field(c.RadiusOfGyration);
            csv.Field(c.Percolating ? 1 : 0);
            csv.EndRow();
        }
    }
}
