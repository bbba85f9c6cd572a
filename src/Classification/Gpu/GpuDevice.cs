using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace StreamMonitor.Classification.Gpu;

/// <summary>
/// An ILGPU context and the one accelerator the GPU engines (<see cref="IlgpuMlp"/>, <see cref="IlgpuSymmetryFunctions"/>)
/// run on: the first CUDA device when ILGPU sees one, else ILGPU's CPU accelerator, so the same code runs (slowly) on
/// machines without a GPU and in tests. Owns both; disposing it frees every kernel and buffer made on the accelerator,
/// so dispose the engines first.
/// </summary>
/// <remarks>
/// Only CUDA and the CPU are enabled: an OpenCL device (an integrated GPU, pocl) would be picked by ILGPU's own preference
/// but is untested here and often lacks double precision. The context keeps the default math mode, which leaves double
/// precision alone (the fast modes demote it to single). The kernels need no ILGPU.Algorithms: their exp and cos come
/// from <see cref="KernelMath"/>.
/// </remarks>
public sealed class GpuDevice : IDisposable
{
    private readonly Context _context;

    private GpuDevice(Context context, Accelerator accelerator)
    {
        _context = context;
        Accelerator = accelerator;
    }

    public Accelerator Accelerator { get; }

    /// <summary>Whether the accelerator is a CUDA GPU (otherwise ILGPU's CPU accelerator).</summary>
    public bool IsCuda => Accelerator.AcceleratorType == AcceleratorType.Cuda;

    /// <summary>The device name as ILGPU reports it, e.g. "NVIDIA H100 80GB HBM3" or "CPUAccelerator".</summary>
    public string Name => Accelerator.Name;

    /// <summary>
    /// The first CUDA device, or the CPU accelerator when there is none or <paramref name="preferCpu"/> (tests, and
    /// comparisons that must not depend on the machine). With <paramref name="preferCpu"/> CUDA is not even probed.
    /// </summary>
    public static GpuDevice OpenBest(bool preferCpu = false)
    {
        var context = Context.Create(builder =>
        {
            builder.DefaultCPU();
            if (!preferCpu) builder.Cuda();
        });
        try
        {
            Device device = context.GetCPUDevice(0);
            if (!preferCpu && context.GetCudaDevices() is { Count: > 0 } cuda) device = cuda[0];
            return new GpuDevice(context, device.CreateAccelerator(context));
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    public override string ToString() => $"{Name} ({Accelerator.AcceleratorType})";

    public void Dispose()
    {
        Accelerator.Dispose();
        _context.Dispose();
    }
}
