using StreamMonitor.Core;

namespace StreamMonitor.Monitoring;

/// <summary>The periodic cell of a <see cref="RunStructure"/>: the lengths of its lattice vectors and the vectors themselves (rows a, b, c).</summary>
public sealed record StructureBox(IReadOnlyList<double> Lengths, IReadOnlyList<IReadOnlyList<double>> Vectors)
{
    public static StructureBox Of(SimulationBox box) => new([box.A.Length, box.B.Length, box.C.Length], box.ToRows());
}
