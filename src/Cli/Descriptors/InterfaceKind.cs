using StreamMonitor.Analysis.Interfaces;
using StreamMonitor.Core;

namespace StreamMonitor.Cli.Descriptors;

/// <summary>
/// <c>--kind interface</c>: one row per frame with the solid–liquid interfaces of a periodic solid slab, from the solid
/// fraction in <c>--bins</c> slabs along <c>--axis</c> (lattice planes of a triclinic cell) fitted with two tanh steps,
/// and their velocity: the slope over the last five fitted frames. <c>time</c> is the frame's time when the file has one,
/// else its step, so velocities are per unit of that column (per MD step for a plain LAMMPS dump); <c>velocity</c> is
/// the growth speed of the slab ((v2 − v1)/2, positive while the solid grows). <c>status</c> is <c>fitted</c>,
/// <c>none</c> (a flat profile: all solid, all liquid) or <c>failed</c>; values that are not known are NaN.
/// </summary>
internal sealed class InterfaceKind : DescriptorKind
{
    private const int VelocityWindow = 5;

    private SolidParticles? _solid;
    private SolidFractionProfile? _profile;
    private readonly InterfaceFit _fit = new();
    private InterfaceTracker _tracker = new(VelocityWindow);

    public override string Name => "interface";

    public override string Description =>
        "solid–liquid interfaces of a solid slab along --axis (--bins slabs, tanh fit) and their velocity, one row per frame";

    public override string Header => "frame,step,time,status,position1,position2,width,low,high,rsquared,velocity1,velocity2,velocity";

    public override void Configure(DescriptorOptions options)
    {
        // Below 8 slabs a two-interface tanh (5 parameters) has almost nothing to fit.
        if (options.Bins < 8) throw new ArgumentException($"--bins must be at least 8 for an interface profile, got {options.Bins}");
        _profile = new SolidFractionProfile(SolidFractionProfile.AxisIndex(options.Axis), options.Bins);
        _solid = SolidParticles.FromOptions(options);
        _tracker = new InterfaceTracker(VelocityWindow);
    }

    public override void Write(Frame frame, CsvWriter csv, TextWriter summary)
    {
        if (_solid is null || _profile is null) throw new InvalidOperationException("Configure was not called");
        var (bonds, _) = _solid.Compute(frame);
        var fit = _fit.Fit(_profile.Compute(frame, bonds.Solid));
        double time = frame.Time ?? frame.Step;
        var motion = _tracker.Add(time, fit);
        csv.Field(frame.Index);
        csv.Field(frame.Step);
        csv.Field(time);
        csv.Field(fit.Status switch
        {
            InterfaceFitStatus.Fitted => "fitted",
            InterfaceFitStatus.NoInterface => "none",
            _ => "failed",
        });
        csv.Field(fit.Position1);
        csv.Field(fit.Position2);
        csv.Field(fit.Width);
        csv.Field(fit.Low);
        csv.Field(fit.High);
        csv.Field(fit.RSquared);
        csv.Field(motion.Velocity1);
        csv.Field(motion.Velocity2);
        csv.Field(motion.GrowthVelocity);
        csv.EndRow();
    }
}
