using System.Runtime.CompilerServices;
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
        var extras = new FrameColumn[layout.ExtraNames.Length];
        for (int e = 0; e < extras.Length; e++) extras[e] = frame.AddColumn(layout.ExtraNames[e]);
        var element = layout.HasElement ? frame.AddColumn("element") : null;
        var to = new AtomColumns(frame, layout.HasMol ? frame.AddMolecules() : default, layout.HasImages ? frame.AddImages() : default,
            extras, element is null ? default : element.Values);
        var lines = new LineReader(rows);

        for (int a = 0; a < natoms; a++)
        {
            int rowStart = lines.Position;
            // Most rows are read in one pass, each number where it starts. A row that pass does not take (element names,
            // another number shape, a bad or missing field) is read again a field at a time, which says what is wrong.
            if (element is null && ReadRow(rows, rowStart, a, roles, slots, ref to) is var next and >= 0)
            {
                lines.MoveTo(next);
                continue;
            }
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
                int unused = 0;
                if (!ReadField(t, ref unused, whole: true, roles[c], slots[c], a, ref to))
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

        var ids = frame.Ids;
        var types = frame.Types;
        if (!layout.HasId)
            for (int a = 0; a < natoms; a++) ids[a] = a + 1;
        if (!layout.HasType && element is not null)
            for (int a = 0; a < natoms; a++) types[a] = (int)element.Values[a] + 1;
        if (!layout.HasType && element is null) types.Clear();
        if (element is not null)
        {
            // A snapshot: the parser keeps appending to its table while consumers read this frame.
            element.Labels = _elements.Snapshot();
            if (!layout.HasType) frame.TypeNames = element.Labels;
        }
        if (layout.Scaled) ToCartesian(frame);
    }

    /// <summary>
    /// Atom <paramref name="a"/>'s row from <paramref name="rows"/>[<paramref name="at"/>..] in one pass, each field read
    /// where it starts: the offset after the row's newline, or -1 where a field is not a number of the shapes
    /// <see cref="Utf8Number.TryParseDoubleAt"/> reads, or the row does not end after its last field.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once per row: unoptimised, a short command's rows would mostly run in the first tier
    private int ReadRow(ReadOnlySpan<byte> rows, int at, int a, LammpsColumnLayout.Role[] roles, int[] slots, ref AtomColumns to)
    {
        int i = at;
        for (int c = 0; c < roles.Length; c++)
        {
            while (i < rows.Length && (rows[i] == (byte)' ' || rows[i] == (byte)'\t')) i++;
            if (!ReadField(rows, ref i, whole: false, roles[c], slots[c], a, ref to)) return -1;
            // The number must be the whole field: "1.5x" is a bad field, which the field-at-a-time reading reports.
            if (i >= rows.Length || rows[i] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return -1;
        }
        while (i < rows.Length && (rows[i] == (byte)' ' || rows[i] == (byte)'\t' || rows[i] == (byte)'\r')) i++;
        return i < rows.Length && rows[i] == (byte)'\n' ? i + 1 : -1;
    }

    /// <summary>
    /// Stores atom <paramref name="a"/>'s field of <paramref name="role"/> (an extra column's: the column at
    /// <paramref name="slot"/>), read from the whole of <paramref name="s"/> (a token, any number shape) or, not
    /// <paramref name="whole"/>, from s[<paramref name="i"/>..] in place, moving i past it. False for a bad number or a
    /// non-finite coordinate.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool ReadField(ReadOnlySpan<byte> s, ref int i, bool whole, LammpsColumnLayout.Role role, int slot, int a, ref AtomColumns to)
    {
        // One number parser of each kind, then a store by role: the row loop stays small enough to compile quickly.
        switch (role)
        {
            case LammpsColumnLayout.Role.Element:
                if (!whole) return false; // names only as tokens
                to.Elements[a] = _elements.CodeOf(s);
                return true;
            case LammpsColumnLayout.Role.X or LammpsColumnLayout.Role.Y or LammpsColumnLayout.Role.Z or LammpsColumnLayout.Role.Extra:
                double real;
                if (!(whole ? Utf8Number.TryParseDouble(s, out real) : Utf8Number.TryParseDoubleAt(s, ref i, out real))) return false;
                return to.StoreReal(role, slot, a, real);
            default:
                int integer;
                if (!(whole ? Utf8Number.TryParseInt32(s, out integer) : Utf8Number.TryParseInt32At(s, ref i, out integer))) return false;
                to.StoreInteger(role, a, integer);
                return true;
        }
    }

    /// <summary>The frame's per-atom arrays that a row's fields are stored in.</summary>
    private readonly ref struct AtomColumns(Frame frame, Span<int> molecules, Span<int> images, FrameColumn[] extras, Span<double> elements)
    {
        private readonly Span<int> _ids = frame.Ids;
        private readonly Span<int> _types = frame.Types;
        private readonly Span<float> _x = frame.X;
        private readonly Span<float> _y = frame.Y;
        private readonly Span<float> _z = frame.Z;
        private readonly Span<int> _molecules = molecules;
        private readonly Span<int> _images = images;

        public Span<double> Elements { get; } = elements;

        /// <summary>A coordinate (false when it is not finite) or an extra column's value (the column at <paramref name="slot"/>).</summary>
        public bool StoreReal(LammpsColumnLayout.Role role, int slot, int a, double value)
        {
            switch (role)
            {
                case LammpsColumnLayout.Role.X: _x[a] = (float)value; break;
                case LammpsColumnLayout.Role.Y: _y[a] = (float)value; break;
                case LammpsColumnLayout.Role.Z: _z[a] = (float)value; break;
                default: extras[slot].Values[a] = value; return true;
            }
            return double.IsFinite(value);
        }

        public void StoreInteger(LammpsColumnLayout.Role role, int a, int value)
        {
            switch (role)
            {
                case LammpsColumnLayout.Role.Id: _ids[a] = value; break;
                case LammpsColumnLayout.Role.Type: _types[a] = value; break;
                case LammpsColumnLayout.Role.Mol: _molecules[a] = value; break;
                case LammpsColumnLayout.Role.ImageX: _images[3 * a] = value; break;
                case LammpsColumnLayout.Role.ImageY: _images[3 * a + 1] = value; break;
                case LammpsColumnLayout.Role.ImageZ: _images[3 * a + 2] = value; break;
            }
        }
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
