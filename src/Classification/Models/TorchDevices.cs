using TorchSharp;

namespace StreamMonitor.Classification.Models;

/// <summary>
/// Where TorchSharp models run: CUDA when the build uses the CUDA runtime package (<c>-p:TorchSharpCuda=true</c>) and
/// TorchSharp sees a GPU, otherwise the CPU. The default CPU package simply reports no GPU.
/// </summary>
public static class TorchDevices
{
    public static torch.Device Best(bool preferCpu = false) =>
        !preferCpu && CudaAvailable() ? torch.CUDA : torch.CPU;

    public static bool CudaAvailable()
    {
        try
        {
            return torch.cuda.is_available();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>"cpu (2 threads)" or "cuda (N devices)", for logs and benchmark lines.</summary>
    public static string Describe(torch.Device device) => device.type == DeviceType.CUDA
        ? $"cuda ({torch.cuda.device_count()} device(s))"
        : $"cpu ({torch.get_num_threads()} threads)";
}
