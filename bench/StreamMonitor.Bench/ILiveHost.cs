namespace StreamMonitor.Bench;

/// <summary>
/// Where the live cases' runs live: one silo in this process (<see cref="LiveSilo"/>) or a cluster of silo processes
/// this process reaches as an Orleans client (<see cref="LiveCluster"/>). <see cref="LiveLoad"/> drives either the same way.
/// </summary>
public interface ILiveHost : IAsyncDisposable
{
    /// <summary>Registers runs and hears their updates.</summary>
    LiveRuns Runs { get; }

    /// <summary>Resident memory of the silos after full collections in each (see <see cref="ProcessMemory.Settled"/>), in bytes.</summary>
    Task<long> SettledWorkingSetAsync();

    /// <summary>CPU time the silos' processes have used so far, in seconds.</summary>
    double CpuSeconds();

    /// <summary>
    /// The mean size of a run's persisted state, in bytes: what each of its checkpoints writes. NaN where the state is
    /// not in a database this process can read.
    /// </summary>
    double RunStateBytes();
}
