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

    /// <summary>
    /// External programs the case runs (checked before it runs; see <see cref="Tools"/>). Those that only make its inputs
    /// (lmp, gmx) are not listed: the data script names what it misses when an input is not cached yet, so a machine
    /// given the cached inputs runs the case without them.
    /// </summary>
    IReadOnlyList<Tool> Requires { get; }

    /// <summary>
    /// Runs the case and returns its report: the first line is the machine-readable <c>NAME key=value ...</c>
    /// line (with <c>ratio=</c> when there is a peer), the rest are short human lines.
    /// </summary>
    IReadOnlyList<string> Run(BenchContext context);
}
