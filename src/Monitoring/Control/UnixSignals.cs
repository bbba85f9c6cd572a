namespace StreamMonitor.Monitoring.Control;

/// <summary>Names, parsing and native numbers of <see cref="UnixSignal"/>.</summary>
public static class UnixSignals
{
    /// <summary>The conventional name, e.g. <c>SIGTERM</c>.</summary>
    public static string Name(this UnixSignal signal) => "SIG" + ShortName(signal);

    /// <summary>The name without the SIG prefix, as <c>kill -s</c> takes it, e.g. <c>TERM</c>.</summary>
    public static string ShortName(this UnixSignal signal) => signal.ToString().ToUpperInvariant();

    /// <summary>Reads <c>TERM</c>, <c>SIGTERM</c> or <c>term</c>; numbers are refused, since they differ between systems.</summary>
    public static bool TryParse(string? text, out UnixSignal signal)
    {
        signal = default;
        var name = text?.Trim() ?? "";
        if (name.StartsWith("SIG", StringComparison.OrdinalIgnoreCase)) name = name[3..];
        if (name.Length == 0 || !name.All(char.IsAsciiLetterOrDigit) || char.IsAsciiDigit(name[0])) return false;
        return Enum.TryParse(name, ignoreCase: true, out signal) && Enum.IsDefined(signal);
    }

    /// <summary>As <see cref="TryParse"/>, with an error that lists the signals known.</summary>
    public static UnixSignal Parse(string? text) => TryParse(text, out var signal) ? signal : throw new FormatException(Unknown(text));

    internal static string Unknown(string? text) =>
        $"unknown signal '{text}': use one of {string.Join(", ", Enum.GetValues<UnixSignal>().Select(ShortName))}";

    /// <summary>The signal's number on this system, or false where signals are not POSIX (Windows).</summary>
    public static bool TryGetNativeNumber(this UnixSignal signal, out int number)
    {
        bool bsd = OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD();
        number = signal switch
        {
            UnixSignal.Hup => 1,
            UnixSignal.Int => 2,
            UnixSignal.Quit => 3,
            UnixSignal.Kill => 9,
            UnixSignal.Usr1 => bsd ? 30 : 10,
            UnixSignal.Usr2 => bsd ? 31 : 12,
            UnixSignal.Term => 15,
            _ => 0,
        };
        return number > 0 && (OperatingSystem.IsLinux() || bsd);
    }
}
