using StreamMonitor.Core;
using StreamMonitor.Ingest.Text;

namespace StreamMonitor.Ingest.Formats;

/// <summary>
/// Parses LAMMPS text dump frames: <c>ITEM: UNITS</c>/<c>TIME</c> (optional), <c>TIMESTEP</c>, <c>NUMBER OF ATOMS</c>,
/// <c>BOX BOUNDS</c> (orthogonal, restricted triclinic <c>xy xz yz</c>, or general <c>abc origin</c>), then
/// <c>ATOMS</c> with its column names and one line per atom in any order.
/// </summary>
internal sealed class LammpsDumpParser : FrameParser
{
    private LammpsColumnLayout? _layout;
    private readonly LabelTable _elements = new();

    public override FrameParseResult TryParse(ReadOnlySpan<byte> data, in FrameLocation at)
    {
        var lines = new LineReader(data);
        long? step = null, atoms = null;
        double? time = null;
        SimulationBox? box = null;
        int atomsHeaderLine = -1;
        ReadOnlySpan<byte> atomsHeader = default;

        // A frame must open with "ITEM:"; saying so now beats waiting for a newline that garbage may never have.
        int firstText = 0;
        while (firstText < data.Length && (data[firstText] == (byte)'\n' || data[firstText] == (byte)'\r')) firstText++;
        var opening = data[firstText..];
        if (!"ITEM:"u8.StartsWith(opening[..Math.Min(opening.Length, 5)]))
            throw Error(at, $"expected 'ITEM: TIMESTEP' at the start of a frame, found '{LineReader.Excerpt(FirstLine(opening))}'" +
                        (at.FrameIndex > 0 ? " (does the previous frame have more atom lines than its NUMBER OF ATOMS?)" : ""), firstText, 0);

        Span<double> b = stackalloc double[12];
        while (atomsHeaderLine < 0)
        {
            int lineStart = lines.Position;
            if (!lines.TryReadLine(out var line)) return FrameParseResult.Incomplete();
            int lineIndex = lines.LineCount - 1;
            if (line.IsEmpty && step is null && atoms is null) continue;
            if (!line.StartsWith("ITEM: "u8))
                throw Error(at, $"expected an ITEM: line, found '{LineReader.Excerpt(line)}'", lineStart, lineIndex);
            var item = line[6..];

            if (item.StartsWith("TIMESTEP"u8))
            {
                if (step is not null)
                    throw Error(at, "ITEM: TIMESTEP appears again before ITEM: ATOMS (missing ATOMS section?)", lineStart, lineIndex);
                if (!NextValueLine(ref lines, out var v, out int vStart)) return FrameParseResult.Incomplete();
                var tok = new Tokenizer(v);
                if (!tok.Next(out var t) || !Utf8Number.TryParseInt64(t, out long s))
                    throw Error(at, $"bad TIMESTEP value '{LineReader.Excerpt(v)}'", vStart, lineIndex + 1);
                step = s;
            }
            else if (item.StartsWith("TIME"u8))
            {
                if (!NextValueLine(ref lines, out var v, out int vStart)) return FrameParseResult.Incomplete();
                if (!Utf8Number.TryParseDouble(Trim(v), out double tv))
                    throw Error(at, $"bad TIME value '{LineReader.Excerpt(v)}'", vStart, lineIndex + 1);
                time = tv;
            }
            else if (item.StartsWith("UNITS"u8))
            {
                if (!NextValueLine(ref lines, out _, out _)) return FrameParseResult.Incomplete();
            }
            else if (item.StartsWith("NUMBER OF ATOMS"u8))
            {
                if (!NextValueLine(ref lines, out var v, out int vStart)) return FrameParseResult.Incomplete();
                if (!Utf8Number.TryParseInt64(Trim(v), out long n) || n < 0 || n > int.MaxValue / 3)
                    throw Error(at, $"bad NUMBER OF ATOMS value '{LineReader.Excerpt(v)}'", vStart, lineIndex + 1);
                atoms = n;
            }
            else if (item.StartsWith("BOX BOUNDS"u8))
            {
                var flags = item[10..];
                int kind = flags.IndexOf("abc"u8) >= 0 ? 4 : flags.IndexOf("xy"u8) >= 0 ? 3 : 2;
                for (int r = 0; r < 3; r++)
                {
                    if (!NextValueLine(ref lines, out var v, out int vStart)) return FrameParseResult.Incomplete();
                    var tok = new Tokenizer(v);
                    for (int k = 0; k < kind; k++)
                        if (!tok.Next(out var t) || !Utf8Number.TryParseDouble(t, out b[r * kind + k]) || !double.IsFinite(b[r * kind + k]))
                            throw Error(at, $"BOX BOUNDS line {r + 1} must hold {kind} numbers, found '{LineReader.Excerpt(v)}'", vStart, lineIndex + 1 + r);
                }
                box = kind switch
                {
                    2 => SimulationBox.FromLammps(b[0], b[1], b[2], b[3], b[4], b[5]),
                    3 => SimulationBox.FromLammpsBoundingBox(b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8]),
                    _ => new SimulationBox(new(b[0], b[1], b[2]), new(b[4], b[5], b[6]), new(b[8], b[9], b[10]), new(b[3], b[7], b[11])),
                };
            }
            else if (item.StartsWith("ATOMS"u8))
            {
                atomsHeader = item[5..];
                atomsHeaderLine = lineIndex;
            }
            else
            {
                throw Error(at, $"unknown section '{LineReader.Excerpt(line)}'", lineStart, lineIndex);
            }
        }

        int headerEnd = lines.Position;
        string? missing = step is null ? "ITEM: TIMESTEP" : atoms is null ? "ITEM: NUMBER OF ATOMS" : box is null ? "ITEM: BOX BOUNDS" : null;
        if (missing is not null) throw Error(at, $"missing {missing} section before ITEM: ATOMS", headerEnd, atomsHeaderLine);

        int natoms = (int)atoms!.Value;
        if (!lines.TrySkipLines(natoms, out int frameEnd)) return FrameParseResult.Incomplete();

        var layout = LayoutFor(atomsHeader, at, headerEnd, atomsHeaderLine);
        var frame = new Frame(natoms)
        {
            Index = at.FrameIndex,
            Step = step!.Value,
            Time = time,
            Box = box!.Value,
            Coordinates = layout.Coordinates,
            ByteOffset = at.ByteOffset,
            ByteLength = frameEnd,
        };
        try
        {
            ParseAtoms(data[headerEnd..frameEnd], natoms, layout, frame, at, headerEnd, atomsHeaderLine + 1);
        }
        catch
        {
            frame.Dispose();
            throw;
        }
        return new FrameParseResult(FrameParseStatus.Frame, frame, frameEnd, atomsHeaderLine + 1 + natoms);
    }

    private LammpsColumnLayout LayoutFor(ReadOnlySpan<byte> header, in FrameLocation at, int offset, int line)
    {
        if (_layout is not null && header.SequenceEqual(_layout.Header)) return _layout;
        return _layout = LammpsColumnLayout.Parse(header, out var error) ?? throw Error(at, error!, offset, line);
    }

    private void ParseAtoms(ReadOnlySpan<byte> rows, int natoms, LammpsColumnLayout layout, Frame frame, in FrameLocation at,
        int rowsOffset, int firstRowLine)
    {
        var roles = layout.Roles;
        var slots = layout.ExtraSlot;
        int ncol = roles.Length;
        var ids = frame.Ids;
        var types = frame.Types;
        var x = frame.X;
        var y = frame.Y;
        var z = frame.Z;
        var mol = layout.HasMol ? frame.AddMolecules() : default;
        var images = layout.HasImages ? frame.AddImages() : default;
        var extras = new FrameColumn[layout.ExtraNames.Length];
        for (int e = 0; e < extras.Length; e++) extras[e] = frame.AddColumn(layout.ExtraNames[e]);
        var element = layout.HasElement ? frame.AddColumn("element") : null;
        var elementValues = element is null ? default : element.Values;
        var lines = new LineReader(rows);

        for (int a = 0; a < natoms; a++)
        {
            int rowStart = lines.Position;
            lines.TryReadLine(out var line);
            if (line.StartsWith("ITEM:"u8))
                throw Error(at, $"expected {natoms} atom lines (NUMBER OF ATOMS), found {a} before '{LineReader.Excerpt(line)}'",
                    rowsOffset + rowStart, firstRowLine + a);
            var tok = new Tokenizer(line);
            for (int c = 0; c < ncol; c++)
            {
                if (!tok.Next(out var t))
                    throw Error(at, $"atom line has {c} fields, expected {ncol} ({string.Join(' ', layout.Names)})",
                        rowsOffset + rowStart, firstRowLine + a);
                bool ok;
                switch (roles[c])
                {
                    case LammpsColumnLayout.Role.X: ok = ParseCoordinate(t, out x[a]); break;
                    case LammpsColumnLayout.Role.Y: ok = ParseCoordinate(t, out y[a]); break;
                    case LammpsColumnLayout.Role.Z: ok = ParseCoordinate(t, out z[a]); break;
                    case LammpsColumnLayout.Role.Id: ok = Utf8Number.TryParseInt32(t, out ids[a]); break;
                    case LammpsColumnLayout.Role.Type: ok = Utf8Number.TryParseInt32(t, out types[a]); break;
                    case LammpsColumnLayout.Role.Mol: ok = Utf8Number.TryParseInt32(t, out mol[a]); break;
                    case LammpsColumnLayout.Role.ImageX: ok = Utf8Number.TryParseInt32(t, out images[3 * a]); break;
                    case LammpsColumnLayout.Role.ImageY: ok = Utf8Number.TryParseInt32(t, out images[3 * a + 1]); break;
                    case LammpsColumnLayout.Role.ImageZ: ok = Utf8Number.TryParseInt32(t, out images[3 * a + 2]); break;
                    case LammpsColumnLayout.Role.Element: elementValues[a] = _elements.CodeOf(t); ok = true; break;
                    default: ok = Utf8Number.TryParseDouble(t, out extras[slots[c]].Values[a]); break;
                }
                if (!ok)
                {
                    var what = roles[c] is LammpsColumnLayout.Role.X or LammpsColumnLayout.Role.Y or LammpsColumnLayout.Role.Z
                               && Utf8Number.TryParseDouble(t, out _)
                        ? "non-finite coordinate"
                        : "bad number";
                    throw Error(at, $"{what} '{LineReader.Excerpt(t)}' in column '{layout.Names[c]}' of atom line {a + 1}",
                        rowsOffset + rowStart + tok.TokenStart, firstRowLine + a);
                }
            }
            if (tok.Next(out _))
                throw Error(at, $"atom line has more than {ncol} fields ({string.Join(' ', layout.Names)})", rowsOffset + rowStart, firstRowLine + a);
        }

        if (!layout.HasId)
            for (int a = 0; a < natoms; a++) ids[a] = a + 1;
        if (!layout.HasType && element is not null)
            for (int a = 0; a < natoms; a++) types[a] = (int)elementValues[a] + 1;
        if (!layout.HasType && element is null) types.Clear();
        if (element is not null)
        {
            // A snapshot: the parser keeps appending to its table while consumers read this frame.
            element.Labels = _elements.Snapshot();
            if (!layout.HasType) frame.TypeNames = element.Labels;
        }
        if (layout.Scaled) ToCartesian(frame);
    }

    private static bool ParseCoordinate(ReadOnlySpan<byte> token, out float value)
    {
        bool ok = Utf8Number.TryParseDouble(token, out double d) && double.IsFinite(d);
        value = (float)d;
        return ok;
    }

    /// <summary>Scaled (fractional) coordinates to Cartesian, in double so the box's precision is kept.</summary>
    private static void ToCartesian(Frame frame)
    {
        var box = frame.Box;
        var x = frame.X;
        var y = frame.Y;
        var z = frame.Z;
        for (int a = 0; a < x.Length; a++)
        {
            var r = box.ToCartesian(x[a], y[a], z[a]);
            x[a] = (float)r.X;
            y[a] = (float)r.Y;
            z[a] = (float)r.Z;
        }
    }

    private static bool NextValueLine(ref LineReader lines, out ReadOnlySpan<byte> line, out int start)
    {
        start = lines.Position;
        return lines.TryReadLine(out line);
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> s) => s.Trim(" \t\r"u8);

    private static ReadOnlySpan<byte> FirstLine(ReadOnlySpan<byte> data)
    {
        int nl = data.IndexOf((byte)'\n');
        return nl < 0 ? data : data[..nl];
    }

    private static TrajectoryFormatException Error(in FrameLocation at, string detail, int offset, int line) =>
        TrajectoryFormatException.At(at, detail, offset, line);
}
