using TorchSharp;

namespace StreamMonitor.Classification.Models;

/// <summary>
/// Where TorchSharp models run: CUDA when the build uses the CUDA runtime package (<c>-p:TorchSharpCuda=true</c>) and
/// TorchSharp sees a GPU, otherwise the CPU. The default CPU build reports no GPU without asking TorchSharp, since the
/// first question loads libtorch (hundreds of megabytes) into a process that may never need it.
/// </summary>
public static class TorchDevices
{
    public static torch.Device Best(bool preferCpu = false) => !preferCpu && Gpu() is { } gpu ? gpu : torch.CPU;

    /// <summary>CUDA when TorchSharp can run there, else null (the CPU build: always null, libtorch not loaded).</summary>
    public static torch.Device? Gpu() => CudaAvailable() ? torch.CUDA : null;

    public static bool CudaAvailable()
    {
#if TORCHSHARP_CUDA
        try
        {
            return torch.cuda.is_available();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or NotSupportedException or TypeInitializationException)
        {
            return false;
        }
#else
        return false;
#endif
    }

    /// <summary>"cpu (2 threads)" or "cuda (N devices)", for logs and benchmark lines.</summary>
    public static string Describe(torch.Device device) => device.type == DeviceType.CUDA
        ? $"cuda ({torch.cuda.device_count()} device(s))"
        : $"cpu ({torch.get_num_threads()} threads)";
}
