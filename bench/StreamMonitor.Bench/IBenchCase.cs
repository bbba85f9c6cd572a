namespace StreamMonitor.Bench;

/// <summary>
/// One benchmark case. Add a case by writing a class that implements this (usually by deriving from
/// <see cref="PeerComparisonCase"/>), putting its peer script under bench/peers/, and listing it in
/// <see cref="BenchCases.All"/>.
/// </summary>
public interface IBenchCase
{
    /// <summary>Name given on the command line and printed first on the result line.</summary>
    string Name { get; }

    /// <summary>One line for <c>--list</c>: what is measured.</summary>
    string Description { get; }

    /// <summary>External programs the case needs (checked before it runs; see <see cref="Tools"/>).</summary>
    IReadOnlyList<Tool> Requires { get; }

    /// <summary>
    /// Runs the case and returns its report: the first line is the machine-readable <c>NAME key=value ...</c>
    /// line (with <c>ratio=</c> when there is a peer), the rest are short human lines.
    /// </summary>
    IReadOnlyList<string> Run(BenchContext context);
}
