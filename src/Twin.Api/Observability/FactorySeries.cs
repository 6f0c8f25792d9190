using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twin.Contracts.Faults;
using Twin.Contracts.Inference;
using Twin.Contracts.Jobs;
using Twin.Contracts.Sites;
using Twin.Contracts.Streams;
using Twin.Grains.Observability;

namespace Twin.Api.Observability;

/// <summary>
/// The factory as Prometheus series on the <c>Twin</c> meter: site GPU health and usable counts, devices by kind and
/// health, active faults, DCI bandwidth left, job state and goodput, inference SLA. Read from the coordinators'
/// existing views (the factory summary, which holds every site coordinator's O(1) ledger, the fault registry's
/// active list, the job and inference views) every <see cref="FactorySeriesOptions.Refresh"/>, never per scrape
/// and never by scanning devices. The first scrape waits for the first reading, so a fresh twin's <c>/metrics</c>
/// already carries them.
/// </summary>
public sealed partial class FactorySeries : BackgroundService
{
    private static readonly TimeSpan FirstReadingWait = TimeSpan.FromSeconds(10);

    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly FactorySeriesOptions _options;
    private readonly ILogger<FactorySeries> _log;
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile FactorySnapshot? _snapshot;

    public FactorySeries(IGrainFactory grains, TimeProvider time, IOptions<FactorySeriesOptions> options, IMeterFactory meters, ILogger<FactorySeries> log)
    {
        _grains = grains;
        _time = time;
        _options = options.Value;
        _log = log;
        // the same meter TwinMetrics uses (the factory hands out one Meter per name), so the exporter already listens
        var meter = meters.Create(TwinMetrics.MeterName);
        meter.CreateObservableGauge("twin.site.gpus", () => Read(s => s.SiteGpus), null,
            "GPUs of a site by health (healthy, degraded, failed, out_of_pool = draining or quarantined).");
        meter.CreateObservableGauge("twin.site.usable_gpus", () => Read(s => s.SiteUsableGpus), null,
            "GPUs of a site that can run work: not failed, quarantined or draining, and with their leaf link up.");
        meter.CreateObservableGauge("twin.devices", () => Read(s => s.Devices), null,
            "Devices of a site by kind (gpu, switch, link, storage, dpu) and health.");
        meter.CreateObservableGauge("twin.faults_active", () => Read(s => s.FaultsActive), null,
            "Active faults by site and fault kind (0 for every catalogued kind without one).");
        meter.CreateObservableGauge("twin.dci.available_gbps", () => Read(s => s.DciAvailableGbps), null,
            "DCI bandwidth still up between two sites, in gigabits per second (0: the pair is partitioned).");
        meter.CreateObservableGauge("twin.job_state", () => Read(s => s.JobState), null,
            "1 for a training job's current state (running, recovering, stopped, cancelled).");
        meter.CreateObservableGauge("twin.job_goodput", () => Read(s => s.JobGoodput), null,
            "A training job's goodput: useful training time over wall time since submission, as a ratio 0..1.");
        meter.CreateObservableGauge("twin.inference.sla_met", () => Read(s => s.InferenceSlaMet), null,
            "1 when an inference service meets its TTFT and TPOT SLA, 0 when breached or stopped.");
    }

    /// <summary>The latest reading (null before the first).</summary>
    public FactorySnapshot? Snapshot => _snapshot;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.Refresh);
        do
        {
            try
            {
                _snapshot = await ReadFactory();
                _first.TrySetResult();
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // a coordinator busy or a silo shutting down: keep the last reading and try again next period
                RefreshFailed(_log, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task<FactorySnapshot> ReadFactory()
    {
        var now = _time.GetUtcNow();
        var summary = _grains.GetGrain<IFactoryGrain>(TwinStreams.FactoryKey).GetSummary().AsTask();
        var faults = _grains.GetGrain<IFaultRegistryGrain>(TwinStreams.FactoryKey).List(active: true, site: null, kind: null).AsTask();
        var registry = _grains.GetGrain<IJobRegistryGrain>(TwinStreams.FactoryKey);
        var jobs = Task.WhenAll((await registry.JobIds()).Select(id => _grains.GetGrain<ITrainingJobGrain>(id).GetView(now)));
        var services = Task.WhenAll((await registry.ServiceIds()).Select(id => _grains.GetGrain<IInferenceServiceGrain>(id).GetView(now)));
        return FactorySnapshot.From(await summary, await faults, await jobs, await services);
    }

    private IEnumerable<Measurement<T>> Read<T>(Func<FactorySnapshot, Measurement<T>[]> series)
        where T : struct
    {
        var snapshot = _snapshot;
        if (snapshot is null)
        {
            // the first scrape of a fresh twin: wait (bounded) for the first reading rather than answer without these series
            _first.Task.Wait(FirstReadingWait);
            snapshot = _snapshot;
        }
        return snapshot is null ? [] : series(snapshot);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the factory for /metrics failed; the last reading stays")]
    private static partial void RefreshFailed(ILogger logger, Exception e);
}
