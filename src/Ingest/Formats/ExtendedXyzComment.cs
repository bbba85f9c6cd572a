using System.Text;

namespace StreamMonitor.Ingest.Formats;

/// <summary>The key=value pairs of an extended XYZ comment line; values may be quoted with "..." or {...}.</summary>
internal static class ExtendedXyzComment
{
    public static Dictionary<string, string> Parse(ReadOnlySpan<byte> line)
    {
        var text = Encoding.UTF8.GetString(line);
        var pairs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int i = 0, n = text.Length;
        while (i < n)
        {
            while (i < n && char.IsWhiteSpace(text[i])) i++;
            int keyStart = i;
            while (i < n && text[i] != '=' && !char.IsWhiteSpace(text[i])) i++;
            var key = text[keyStart..i];
            if (key.Length == 0) { i++; continue; }
            if (i >= n || text[i] != '=') { pairs.TryAdd(key, "T"); continue; }
            i++;
            string value;
            if (i < n && (text[i] == '"' || text[i] == '{'))
            {
                char close = text[i] == '"' ? '"' : '}';
                int end = text.IndexOf(close, i + 1);
                if (end < 0) end = n;
                value = text[(i + 1)..end];
                i = Math.Min(n, end + 1);
            }
            else
            {
                int valueStart = i;
                while (i < n && !char.IsWhiteSpace(text[i])) i++;
                value = text[valueStart..i];
            }
            pairs[key] = value;
        }
        return pairs;
    }
}
