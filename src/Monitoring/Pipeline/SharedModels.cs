using System.Collections.Concurrent;
using StreamMonitor.Analysis.Parallelism;
using StreamMonitor.Classification.Batching;
using StreamMonitor.Classification.Models;

namespace StreamMonitor.Monitoring.Pipeline;

/// <summary>
/// The models of one process (a silo), each loaded once and shared by every run that names it, with one
/// <see cref="MicroBatcher"/> in front of its network so that the rows of many runs' frames fill the same batches.
/// Featurizers keep per-call buffers, so each run builds its own (<see cref="CreateSummarizer"/>); the network and
/// the batcher are what is shared.
/// </summary>
public sealed class SharedModels : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<SharedModel>> _models = new(StringComparer.Ordinal);
    private readonly MicroBatcherOptions? _batching;
    private readonly CoreBudget? _cores;

    /// <param name="cores">
    /// The budget the runs' featurizers and summaries borrow cores from for their loops: that of the
    /// <see cref="ComputeSlots"/> the runs compute in. Null for <see cref="CoreBudget.Shared"/>.
    /// </param>
    public SharedModels(MicroBatcherOptions? batching = null, CoreBudget? cores = null)
    {
        _batching = batching;
        _cores = cores;
    }

    /// <summary>Models loaded so far.</summary>
    public int Count => _models.Count;

    /// <summary>
    /// The model named <paramref name="nameOrPath"/> (a shipped model or a file), loaded on first use: a model file is
    /// read once per process, so a changed file is picked up by a restart.
    /// </summary>
    public SharedModel Get(string nameOrPath)
    {
        var key = Path.GetFullPath(ModelCatalog.Resolve(nameOrPath));
        var lazy = _models.GetOrAdd(key, k => new Lazy<SharedModel>(() => Load(k), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            _models.TryRemove(new KeyValuePair<string, Lazy<SharedModel>>(key, lazy)); // a fixed file is retried next time
            throw;
        }
    }

    /// <summary>A summarizer for one run: its own featurizer, the shared network and batcher.</summary>
    public FrameSummarizer CreateSummarizer(string nameOrPath, SummarizerOptions? options = null)
    {
        var shared = Get(nameOrPath);
        return new FrameSummarizer(shared.Model, options, shared.Batcher, shared.Model.File.Features.WithAtomRoles(options?.AtomRoles).CreateFeaturizer(_cores), _cores);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var lazy in _models.Values)
        {
            if (!lazy.IsValueCreated) continue;
            if (lazy.Value.Batcher is { } batcher) await batcher.DisposeAsync().ConfigureAwait(false);
            lazy.Value.Model.Dispose();
        }
        _models.Clear();
    }

    private SharedModel Load(string nameOrPath)
    {
        var model = ClassifierModel.Load(nameOrPath);
        var batcher = model.Network is MlpNetwork or GnnNetwork ? MicroBatcher.For(model.Network, _batching) : null;
        return new SharedModel(model, batcher);
    }
}
