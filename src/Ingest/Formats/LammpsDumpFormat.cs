namespace StreamMonitor.Ingest.Formats;

/// <summary>LAMMPS text dumps written by <c>dump atom</c> and <c>dump custom</c>.</summary>
public sealed class LammpsDumpFormat : TrajectoryFormat
{
    public override string Name => "lammps";

    public override IReadOnlyList<string> Extensions { get; } = [".lammpstrj", ".dump", ".lammps", ".lmp", ".atom"];

    public override bool IsText => true;

    public override bool Sniff(ReadOnlySpan<byte> head) => head.StartsWith("ITEM: "u8);

    public override FrameParser CreateParser() => new LammpsDumpParser();
}
