using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StreamMonitor.Classification.Models;

/// <summary>
/// Shortens how long libtorch's OpenMP worker threads spin after each parallel region, before libtorch is loaded.
/// </summary>
/// <remarks>
/// With the default (GOMP_SPINCOUNT 300000) the helper thread of every forward pass keeps a core busy long after the
/// pass, which on a 2-core machine starves the threads that feed the next batch: through the micro-batcher the
/// network ran at 3.4 M rows/s against 5.7 M with a spin count of 1000, and the bare pass got no slower. libgomp reads
/// the variable once, when it is loaded, from the native environment (which <see cref="Environment.SetEnvironmentVariable(string, string)"/>
/// does not change on Unix), hence setenv at module load. A value the user set is kept.
/// </remarks>
internal static partial class OpenMpSettings
{
    public const string SpinCount = "1000";

#pragma warning disable CA2255 // a library initialiser on purpose: it must run before any code of the library loads libtorch
    [ModuleInitializer]
    internal static void Apply()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") is not null) return;
        try
        {
            _ = setenv("GOMP_SPINCOUNT", SpinCount, 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Without libc's setenv the default applies: slower under load, still correct.
        }
    }

#pragma warning restore CA2255

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);
}
