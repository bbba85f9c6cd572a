using System.Globalization;
using System.Text;
using StreamMonitor.Core;
using StreamMonitor.Ingest.Text;

namespace StreamMonitor.Ingest.Formats;

/// <summary>
/// Parses (extended) XYZ frames: an atom-count line, a comment line, one line per atom. In extended XYZ the
/// comment gives <c>Lattice</c> (rows a, b, c), <c>Properties</c> (name:type:count, types S/R/I/L),
/// and optionally <c>Time</c>, <c>step</c> and <c>Origin</c>; plain XYZ lines are <c>species x y z</c>.
/// Species become types 1, 2, ... in order of first appearance, the same across frames of a file.
/// </summary>
internal sealed class ExtendedXyzParser : FrameParser
{
    private enum Role : byte { Skip, Species, X, Y, Z, Id, Type, Mol, Number, Label }

    private readonly LabelTable _species = new();

    public override FrameParseResult TryParse(ReadOnlySpan<byte> data, in FrameLocation at)
    {
        var lines = new LineReader(data);
        if (!lines.TryReadLine(out var countLine))
        {
            // Garbage with no newline would otherwise be waited on forever.
            var head = data.Trim(" \t\r"u8);
            foreach (byte b in head)
                if ((uint)(b - '0') > 9) throw Error(at, $"expected the atom count on the first line of a frame, found '{LineReader.Excerpt(head)}'", 0, 0);
            return FrameParseResult.Incomplete();
        }
        if (!Utf8Number.TryParseInt64(countLine.Trim(" \t\r"u8), out long count) || count < 0 || count > int.MaxValue / 3)
            throw Error(at, $"expected the atom count on the first line of a frame, found '{LineReader.Excerpt(countLine)}'", 0, 0);
        int commentStart = lines.Position;
        if (!lines.TryReadLine(out var comment)) return FrameParseResult.Incomplete();
        int rowsStart = lines.Position;
        int natoms = (int)count;
        if (!lines.TrySkipLines(natoms, out int frameEnd)) return FrameParseResult.Incomplete();

        var pairs = ExtendedXyzComment.Parse(comment);
        var (roles, names) = Columns(pairs, at, commentStart);
        var frame = new Frame(natoms)
        {
            Index = at.FrameIndex,
            Step = pairs.TryGetValue("step", out var s) || pairs.TryGetValue("timestep", out s) ? ParseLong(s, "step", at, commentStart) : at.FrameIndex,
            Time = pairs.TryGetValue("time", out var t) ? ParseDouble(t, "Time", at, commentStart) : null,
            Box = BoxOf(pairs, at, commentStart),
            ByteOffset = at.ByteOffset,
            ByteLength = frameEnd,
        };
        try
        {
            ParseAtoms(data[rowsStart..frameEnd], natoms, roles, names, frame, at, rowsStart);
        }
        catch
        {
            frame.Dispose();
            throw;
        }
        return new FrameParseResult(FrameParseStatus.Frame, frame, frameEnd, 2 + natoms);
    }

    private void ParseAtoms(ReadOnlySpan<byte> rows, int natoms, Role[] roles, string[] names, Frame frame,
        in FrameLocation at, int rowsOffset)
    {
        var ids = frame.Ids;
        var types = frame.Types;
        var x = frame.X;
        var y = frame.Y;
        var z = frame.Z;
        bool hasMol = roles.Contains(Role.Mol);
        var mol = hasMol ? frame.AddMolecules() : default;
        var columns = new FrameColumn?[roles.Length];
        var labelTables = new LabelTable?[roles.Length];
        for (int c = 0; c < roles.Length; c++)
        {
            if (roles[c] == Role.Number) columns[c] = frame.AddColumn(names[c]);
            if (roles[c] == Role.Label)
            {
                columns[c] = frame.AddColumn(names[c]);
                labelTables[c] = new LabelTable();
            }
        }
        bool hasId = roles.Contains(Role.Id);
        bool hasSpecies = roles.Contains(Role.Species);
        var lines = new LineReader(rows);
        for (int a = 0; a < natoms; a++)
        {
            int rowStart = lines.Position;
            lines.TryReadLine(out var line);
            var tok = new Tokenizer(line);
            for (int c = 0; c < roles.Length; c++)
            {
                if (!tok.Next(out var v))
                {
                    if (roles[c] == Role.Skip) break;
                    throw Error(at, $"atom line {a + 1} has {c} fields, expected {roles.Length} ({string.Join(' ', names)})", rowsOffset + rowStart, 2 + a);
                }
                bool ok = true;
                double d;
                switch (roles[c])
                {
                    case Role.Species: types[a] = _species.CodeOf(v) + 1; break;
                    case Role.X: ok = Utf8Number.TryParseDouble(v, out d) && double.IsFinite(d); x[a] = (float)d; break;
                    case Role.Y: ok = Utf8Number.TryParseDouble(v, out d) && double.IsFinite(d); y[a] = (float)d; break;
                    case Role.Z: ok = Utf8Number.TryParseDouble(v, out d) && double.IsFinite(d); z[a] = (float)d; break;
                    case Role.Id: ok = Utf8Number.TryParseInt32(v, out ids[a]); break;
                    case Role.Type: ok = Utf8Number.TryParseInt32(v, out types[a]); break;
                    case Role.Mol: ok = Utf8Number.TryParseInt32(v, out mol[a]); break;
                    case Role.Number: ok = TryParseValue(v, out columns[c]!.Values[a]); break;
                    case Role.Label: columns[c]!.Values[a] = labelTables[c]!.CodeOf(v); break;
                }
                if (!ok)
                {
                    var what = roles[c] is Role.X or Role.Y or Role.Z && Utf8Number.TryParseDouble(v, out _) ? "non-finite coordinate" : "bad number";
                    throw Error(at, $"{what} '{LineReader.Excerpt(v)}' in column '{names[c]}' of atom line {a + 1}",
                        rowsOffset + rowStart + tok.TokenStart, 2 + a);
                }
            }
        }
        if (!hasId)
            for (int a = 0; a < natoms; a++) ids[a] = a + 1;
        if (hasSpecies) frame.TypeNames = _species.Snapshot();
        for (int c = 0; c < roles.Length; c++)
            if (columns[c] is { } col && labelTables[c] is { } table) col.Labels = table.Snapshot();
    }

    /// <summary>One role per whitespace field of an atom line, from Properties= (or the plain XYZ default).</summary>
    private static (Role[] Roles, string[] Names) Columns(Dictionary<string, string> pairs, in FrameLocation at, int offset)
    {
        if (!pairs.TryGetValue("Properties", out var spec))
            return ([Role.Species, Role.X, Role.Y, Role.Z, Role.Skip], ["species", "x", "y", "z", "..."]);

        var parts = spec.Split(':');
        if (parts.Length % 3 != 0) throw Error(at, $"Properties='{spec}' is not a list of name:type:count triples", offset, 1);
        var roles = new List<Role>();
        var names = new List<string>();
        bool hasPos = false;
        for (int p = 0; p < parts.Length; p += 3)
        {
            var name = parts[p];
            var type = parts[p + 1].ToUpperInvariant();
            if (!int.TryParse(parts[p + 2], NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count < 1 || type is not ("S" or "R" or "I" or "L"))
                throw Error(at, $"bad Properties entry '{name}:{parts[p + 1]}:{parts[p + 2]}'", offset, 1);
            if (name.Equals("pos", StringComparison.OrdinalIgnoreCase) && type == "R" && count == 3)
            {
                roles.AddRange([Role.X, Role.Y, Role.Z]);
                names.AddRange(["pos[1]", "pos[2]", "pos[3]"]);
                hasPos = true;
                continue;
            }
            for (int k = 0; k < count; k++)
            {
                var role = (name.ToLowerInvariant(), type, count) switch
                {
                    ("species", "S", 1) => Role.Species,
                    ("id", "I", 1) => Role.Id,
                    ("type", "I", 1) => Role.Type,
                    ("mol", "I", 1) => Role.Mol,
                    (_, "S", _) => Role.Label,
                    _ => Role.Number,
                };
                roles.Add(role);
                names.Add(count == 1 ? name : $"{name}[{k + 1}]");
            }
        }
        if (!hasPos) throw Error(at, $"Properties='{spec}' has no pos:R:3 entry", offset, 1);
        return (roles.ToArray(), names.ToArray());
    }

    private static SimulationBox BoxOf(Dictionary<string, string> pairs, in FrameLocation at, int offset)
    {
        if (!pairs.TryGetValue("Lattice", out var lattice)) return SimulationBox.None;
        var v = Numbers(lattice, 9, "Lattice", at, offset);
        var origin = pairs.TryGetValue("Origin", out var o) ? Numbers(o, 3, "Origin", at, offset) : [0, 0, 0];
        return new SimulationBox(new(v[0], v[1], v[2]), new(v[3], v[4], v[5]), new(v[6], v[7], v[8]), new(origin[0], origin[1], origin[2]));
    }

    private static double[] Numbers(string text, int count, string key, in FrameLocation at, int offset)
    {
        var parts = text.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries);
        var values = new double[count];
        if (parts.Length != count) throw Error(at, $"{key}=\"{text}\" must hold {count} numbers", offset, 1);
        for (int i = 0; i < count; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
                throw Error(at, $"{key}=\"{text}\" must hold {count} numbers", offset, 1);
        return values;
    }

    private static long ParseLong(string text, string key, in FrameLocation at, int offset) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) ? v : throw Error(at, $"bad {key} value '{text}'", offset, 1);

    private static double ParseDouble(string text, string key, in FrameLocation at, int offset) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : throw Error(at, $"bad {key} value '{text}'", offset, 1);

    /// <summary>Numbers, and logicals as 1/0.</summary>
    private static bool TryParseValue(ReadOnlySpan<byte> token, out double value)
    {
        if (Utf8Number.TryParseDouble(token, out value)) return true;
        if (token.SequenceEqual("T"u8) || token.SequenceEqual("True"u8) || token.SequenceEqual("true"u8)) { value = 1; return true; }
        if (token.SequenceEqual("F"u8) || token.SequenceEqual("False"u8) || token.SequenceEqual("false"u8)) { value = 0; return true; }
        return false;
    }

    private static TrajectoryFormatException Error(in FrameLocation at, string detail, int offset, int line) =>
        TrajectoryFormatException.At(at, detail, offset, line);
}
