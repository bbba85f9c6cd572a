using System.Text;
using StreamMonitor.Core;

namespace StreamMonitor.Ingest.Formats;

/// <summary>What to do with each column of a LAMMPS <c>ITEM: ATOMS</c> line, worked out once per header.</summary>
internal sealed class LammpsColumnLayout
{
    public enum Role : byte { Extra, Id, Type, Mol, X, Y, Z, ImageX, ImageY, ImageZ, Element }

    /// <summary>Coordinate column sets in order of preference: wrapped beats unwrapped, unscaled beats scaled.</summary>
    private static readonly (string X, string Y, string Z, bool Scaled, CoordinateKind Kind)[] CoordinateSets =
    [
        ("x", "y", "z", false, CoordinateKind.Wrapped),
        ("xs", "ys", "zs", true, CoordinateKind.Wrapped),
        ("xu", "yu", "zu", false, CoordinateKind.Unwrapped),
        ("xsu", "ysu", "zsu", true, CoordinateKind.Unwrapped),
    ];

    private LammpsColumnLayout(byte[] header, string[] names, Role[] roles, int[] extraSlot, bool scaled, CoordinateKind kind)
    {
        Header = header;
        Names = names;
        Roles = roles;
        ExtraSlot = extraSlot;
        Scaled = scaled;
        Coordinates = kind;
        ExtraNames = names.Where((_, i) => roles[i] == Role.Extra).ToArray();
        HasId = roles.Contains(Role.Id);
        HasType = roles.Contains(Role.Type);
        HasMol = roles.Contains(Role.Mol);
        HasImages = roles.Contains(Role.ImageX);
        HasElement = roles.Contains(Role.Element);
    }

    /// <summary>The raw text after <c>ITEM: ATOMS</c>, to recognise the same header in the next frame.</summary>
    public byte[] Header { get; }
    public string[] Names { get; }
    public Role[] Roles { get; }

    /// <summary>For each column with role Extra: its index in <see cref="ExtraNames"/>; -1 otherwise.</summary>
    public int[] ExtraSlot { get; }
    public string[] ExtraNames { get; }
    public bool Scaled { get; }
    public CoordinateKind Coordinates { get; }
    public bool HasId { get; }
    public bool HasType { get; }
    public bool HasMol { get; }
    public bool HasImages { get; }
    public bool HasElement { get; }

    /// <summary>Builds the layout, or returns an error message naming what is wrong with the columns.</summary>
    public static LammpsColumnLayout? Parse(ReadOnlySpan<byte> header, out string? error)
    {
        var names = Encoding.ASCII.GetString(header).Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
        error = null;
        if (names.Length == 0) { error = "ITEM: ATOMS names no columns"; return null; }
        var duplicate = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) { error = $"column '{duplicate.Key}' appears twice in ITEM: ATOMS"; return null; }

        var set = CoordinateSets.FirstOrDefault(s => names.Contains(s.X) && names.Contains(s.Y) && names.Contains(s.Z));
        if (set.X is null)
        {
            error = $"ITEM: ATOMS has no complete set of coordinate columns (x y z, xs ys zs, xu yu zu or xsu ysu zsu); columns: {string.Join(' ', names)}";
            return null;
        }

        bool images = names.Contains("ix") && names.Contains("iy") && names.Contains("iz");
        var roles = new Role[names.Length];
        var extraSlot = new int[names.Length];
        int extras = 0;
        for (int i = 0; i < names.Length; i++)
        {
            var n = names[i];
            roles[i] = n switch
            {
                "id" => Role.Id,
                "type" => Role.Type,
                "mol" => Role.Mol,
                "ix" when images => Role.ImageX,
                "iy" when images => Role.ImageY,
                "iz" when images => Role.ImageZ,
                "element" => Role.Element,
                _ when n == set.X => Role.X,
                _ when n == set.Y => Role.Y,
                _ when n == set.Z => Role.Z,
                _ => Role.Extra,
            };
            extraSlot[i] = roles[i] == Role.Extra ? extras++ : -1;
        }
        return new LammpsColumnLayout(header.ToArray(), names, roles, extraSlot, set.Scaled, set.Kind);
    }
}
