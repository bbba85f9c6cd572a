using System.Diagnostics.CodeAnalysis;

namespace StreamMonitor.Monitoring.Control;

/// <summary>Placeholder values given as a plain table (names case-insensitive), e.g. a shot's <c>{seed}</c> and <c>{dir}</c>.</summary>
public sealed class PlaceholderValues(IReadOnlyDictionary<string, string> values) : IPlaceholderValues
{
    private readonly Dictionary<string, string> _values = new(values, StringComparer.OrdinalIgnoreCase);

    public IEnumerable<string> PlaceholderNames => _values.Keys;

    public bool TryGetPlaceholder(string name, [NotNullWhen(true)] out string? value) => _values.TryGetValue(name, out value);
}
