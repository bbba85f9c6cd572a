using System.Collections.Frozen;

namespace StreamMonitor.Monitoring.Events;

/// <summary>
/// Maps a rules file onto <see cref="EventRules"/>: one section per detector named as its event kind, each with an
/// optional <c>enabled</c>, and the basins at the top. Fields left out keep their defaults; unknown fields are errors.
/// </summary>
internal static class EventRulesReader
{
    private const string Basins = "basins";

    public static EventRules Read(RulesSection root)
    {
        var defaults = EventRules.Default;
        var enabled = new HashSet<string>(defaults.Enabled, StringComparer.Ordinal);

        var nucleation = Section(root, RunEventKinds.Nucleation, enabled, defaults.Nucleation, (s, o) => o with
        {
            Threshold = s.Int("threshold", o.Threshold),
            Growth = s.NullableInt("growth", o.Growth),
            Consecutive = s.Int("consecutive", o.Consecutive),
            RearmFraction = s.Number("rearm_fraction", o.RearmFraction),
        }, o => o.Validate());

        var melting = Section(root, RunEventKinds.Melting, enabled, defaults.Melting, (s, o) => o with
        {
            Below = s.NullableNumber("below", o.Below),
            Drop = s.NullableNumber("drop", o.Drop),
            ArmAbove = s.Number("arm_above", o.ArmAbove),
            RearmBand = s.Number("rearm_band", o.RearmBand),
            Consecutive = s.Int("consecutive", o.Consecutive),
            SurfaceDominance = s.Number("surface_dominance", o.SurfaceDominance),
        }, o => o.Validate());

        var polymorph = Section(root, RunEventKinds.PolymorphChange, enabled, defaults.PolymorphChange, (s, o) => o with
        {
            Consecutive = s.Int("consecutive", o.Consecutive),
            MinimumCount = s.Int("minimum_count", o.MinimumCount),
        }, o => o.Validate());

        var interfaceMotion = Section(root, RunEventKinds.InterfaceMotion, enabled, defaults.InterfaceMotion, (s, o) => o with
        {
            Speed = s.NullableNumber("speed", o.Speed),
            Consecutive = s.Int("consecutive", o.Consecutive),
            RearmFraction = s.Number("rearm_fraction", o.RearmFraction),
            Bounds = s.Pair("bounds", o.Bounds),
            MarginFraction = s.Number("margin_fraction", o.MarginFraction),
        }, o => o.Validate());

        // The section's own fields are checked at "commitment"; the basins, added after, at "basins".
        var basins = root.Objects(Basins).Select(ReadBasin).ToArray();
        var commitment = Section(root, RunEventKinds.Commitment, enabled, defaults.Commitment, (s, o) => o with
        {
            Consecutive = s.Int("consecutive", o.Consecutive),
            Rearm = s.Bool("rearm", o.Rearm),
        }, o => o.Validate()) with { Basins = basins };
        root.Check(Basins, commitment.Validate);

        var stall = Section(root, RunEventKinds.Stall, enabled, defaults.Stall, (s, o) => o with
        {
            Multiple = s.Number("multiple", o.Multiple),
            Minimum = s.Seconds("minimum_seconds", o.Minimum),
            Initial = s.Seconds("initial_seconds", o.Initial),
            MinimumIntervals = s.Int("minimum_intervals", o.MinimumIntervals),
            Window = s.Int("window", o.Window),
        }, o => o.Validate());

        Toggle(root, RunEventKinds.Restart, enabled)?.RejectUnknown();
        root.RejectUnknown();

        return new EventRules
        {
            Nucleation = nucleation,
            Melting = melting,
            PolymorphChange = polymorph,
            InterfaceMotion = interfaceMotion,
            Commitment = commitment,
            Stall = stall,
            Enabled = enabled.ToFrozenSet(StringComparer.Ordinal),
        };
    }

    /// <summary>Reads one detector's section (absent: <paramref name="defaults"/>, enabled), its <c>enabled</c> flag, and checks the result there.</summary>
    private static T Section<T>(RulesSection root, string key, HashSet<string> enabled, T defaults, Func<RulesSection, T, T> read, Action<T> validate)
    {
        var section = Toggle(root, key, enabled);
        var options = section is null ? defaults : read(section, defaults);
        section?.RejectUnknown();
        (section ?? root).Check(section is null ? key : null, () => validate(options));
        return options;
    }

    /// <summary>The section, after applying its <c>enabled</c> flag; null when the file has none.</summary>
    private static RulesSection? Toggle(RulesSection root, string key, HashSet<string> enabled)
    {
        var section = root.Section(key);
        if (section is not null && !section.Bool("enabled", true)) enabled.Remove(key);
        return section;
    }

    private static Basin ReadBasin(RulesSection s)
    {
        var basin = new Basin
        {
            Name = s.String("name"),
            Bounds = s.Ranges("bounds", SummaryQuantities.Validate).ToDictionary(b => b.Key, b => new BasinBound(b.Value.Lower, b.Value.Upper)),
        };
        s.RejectUnknown();
        s.Check(null, basin.Validate);
        return basin;
    }
}
