using System.Diagnostics.CodeAnalysis;

namespace StreamMonitor.Monitoring.Control;

/// <summary>Where <see cref="Placeholders"/> finds the values of <c>{name}</c>: a stop request, or a shot being launched.</summary>
public interface IPlaceholderValues
{
    /// <summary>Every name a template may use, for the error that names an unknown one.</summary>
    IEnumerable<string> PlaceholderNames { get; }

    /// <summary>The value of a placeholder (names match case-insensitively), or false when there is none by that name.</summary>
    bool TryGetPlaceholder(string name, [NotNullWhen(true)] out string? value);
}
