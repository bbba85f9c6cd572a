namespace StreamMonitor.Metrics;

/// <summary>Reading line protocol back: where its lines end, for spilled batches that are split again on replay.</summary>
public static class LineProtocol
{
    /// <summary>
    /// Offsets just past each line's '\n'. A newline inside a quoted string field does not end a line (strings may hold
    /// newlines); quotes count only in the field section, since a tag value may hold a bare quote. A last line without
    /// '\n' is not counted.
    /// </summary>
    public static List<int> LineEnds(ReadOnlySpan<byte> lines)
    {
        var ends = new List<int>();
        var section = Section.Key;
        bool quoted = false;
        for (int i = 0; i < lines.Length; i++)
        {
            byte b = lines[i];
            if (b == (byte)'\\' && section != Section.Time)
            {
                i++;
                continue;
            }
            if (quoted)
            {
                if (b == (byte)'"') quoted = false;
                continue;
            }
            switch (b)
            {
                case (byte)'\n':
                    ends.Add(i + 1);
                    section = Section.Key;
                    break;
                case (byte)' ' when section == Section.Key:
                    section = Section.Fields;
                    break;
                case (byte)' ' when section == Section.Fields:
                    section = Section.Time;
                    break;
                case (byte)'"' when section == Section.Fields:
                    quoted = true;
                    break;
            }
        }
        return ends;
    }

    private enum Section
    {
        Key,
        Fields,
        Time,
    }
}
