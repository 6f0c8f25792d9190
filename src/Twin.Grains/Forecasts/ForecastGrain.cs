using System.Text.Json;
using System.Text.Json.Nodes;
using Twin.Contracts.Faults;
using Twin.Contracts.Forecasts;
using Twin.Contracts.Jobs;
using Twin.Contracts.Streams;
using Microsoft.Extensions.Options;
using Twin.Grains.Jobs;
using Twin.Model.Forecasts;
using Twin.Model.Health;
using Twin.Model.Scenarios;
using Twin.Model.Topology;

namespace Twin.Grains.Forecasts;

/// <summary>
/// A forecast: snapshots the live factory (running jobs where they run, active faults with the time they have left),
/// then runs it ahead twice on the pure simulated world, off the grain's scheduler — as it is, and with the supposed
/// faults — and reports both and their difference. Live grains are only read, never changed.
/// </summary>
public sealed class ForecastGrain(FactoryTopology topology, TimeProvider time, IOptions<JobOptions> options, IOptionsMonitor<HealthThresholds> thresholds)
    : Grain, IForecastGrain
{
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _cancel = new();
    private ForecastStatus? _status;
    private string? _report;

    private IForecastRegistryGrain Registry => GrainFactory.GetGrain<IForecastRegistryGrain>(TwinStreams.FactoryKey);

    public async Task<ForecastStatus> Start(ForecastRequest request)
    {
        lock (_gate)
        {
            if (_status is not null)
            {
                return _status;
            }
        }
        var now = time.GetUtcNow();
        var input = await Snapshot(request, now);
        var (baseline, whatIf, world) = ForecastPlan.Build(input);
        lock (_gate)
        {
            _status = new ForecastStatus
            {
                Id = this.GetPrimaryKeyString(), State = "running", Progress = 0, SnapshotAt = now, HorizonSeconds = request.Horizon.TotalSeconds,
                Jobs = input.Jobs.Count, ActiveFaults = input.ActiveFaults.Count, SupposedFaults = input.Hypothetical.Count,
            };
        }
        DelayDeactivation(TimeSpan.FromHours(24));
        var registry = Registry;
        _ = Task.Run(() => Run(baseline, whatIf, world, request.Speed, registry));
        return _status!;
    }

    public Task<ForecastStatus?> GetStatus()
    {
        lock (_gate)
        {
            return Task.FromResult(_status);
        }
    }

    public Task<string?> GetReport()
    {
        lock (_gate)
        {
            return Task.FromResult(_report);
        }
    }

    public async Task<ForecastStatus?> Cancel()
    {
        await _cancel.CancelAsync();
        ForecastStatus? status;
        lock (_gate)
        {
            if (_status is { State: "running" })
            {
                _status = _status with { State = "cancelled" };
            }
            status = _status;
        }
        await Registry.Forget(this.GetPrimaryKeyString());
        DeactivateOnIdle();
        return status;
    }

    private async Task<ForecastInput> Snapshot(ForecastRequest request, DateTimeOffset now)
    {
        var jobs = new List<ForecastJob>();
        var registry = GrainFactory.GetGrain<IJobRegistryGrain>(TwinStreams.FactoryKey);
        foreach (var id in await registry.JobIds())
        {
            var job = GrainFactory.GetGrain<ITrainingJobGrain>(id);
            var view = await job.GetView(now);
            if (view.State is "running" or "recovering" or "stopped")
            {
                jobs.Add(new ForecastJob(id, (await job.GetDefinition()).ToSpec(), view.Placement));
            }
        }
        var active = await GrainFactory.GetGrain<IFaultRegistryGrain>(TwinStreams.FactoryKey).List(true, null, null);
        var faults = active.Select(f => new ForecastFault(f.Kind, f.Target, TimeSpan.Zero, f.Parameters,
            f.Duration is { } d ? Max(TimeSpan.Zero, d - (now - f.At)) : null)).ToList();
        var supposed = request.Faults.Select(f => new ForecastFault(f.Kind, f.Target, f.At, f.Parameters, f.Duration)).ToList();
        var rules = new SimulatedWorldOptions
        {
            Detection = options.Value.DetectionTime, Restart = options.Value.RestartTime, Thresholds = thresholds.CurrentValue,
        };
        return new ForecastInput(topology.Spec.Name, now, request.Horizon, jobs, faults, supposed, request.Seed, request.RandomFailures, rules);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private sealed class Reporter(Action<ScenarioProgress> report) : IProgress<ScenarioProgress>
    {
        public void Report(ScenarioProgress value) => report(value);
    }

    private async Task Run(ScenarioSpec baseline, ScenarioSpec whatIf, SimulatedWorldOptions world, double? speed, IForecastRegistryGrain registry)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var first = await RunOne(baseline, world, speed, 0);
            var second = await RunOne(whatIf, world, speed, 0.5);
            var diff = ForecastDiff.Between(first, second);
            var report = new JsonObject
            {
                ["id"] = this.GetPrimaryKeyString(),
                ["snapshotAt"] = baseline.Start,
                ["horizonSeconds"] = baseline.Duration.TotalSeconds,
                ["assumptions"] = new JsonArray(
                    "jobs start from where they run now, each from a fresh checkpoint",
                    "faults active now stay for the time they have left (to the horizon when they have no duration)",
                    "device health set by telemetry alone (not a fault) is not carried over",
                    "random failures, when on, follow the Llama 3 405B profile per job",
                    $"a failure is detected after {world.Detection.TotalSeconds:0} s and ranks restart in {world.Restart.TotalSeconds:0} s (Twin:Jobs)",
                    "health thresholds are the twin's configured ones (Twin:Health)"),
                ["diff"] = JsonSerializer.SerializeToNode(diff, ScenarioReport.JsonOptions),
                ["baseline"] = JsonNode.Parse(first.ToJson()),
                ["forecast"] = JsonNode.Parse(second.ToJson()),
            };
            lock (_gate)
            {
                _report = report.ToJsonString();
                _status = _status! with { State = "done", Progress = 1, WallSeconds = watch.Elapsed.TotalSeconds };
            }
        }
        catch (OperationCanceledException)
        {
            lock (_gate)
            {
                _status = _status! with { State = "cancelled", WallSeconds = watch.Elapsed.TotalSeconds };
            }
        }
        catch (Exception e)
        {
            lock (_gate)
            {
                _status = _status! with { State = "error", Error = e.Message, WallSeconds = watch.Elapsed.TotalSeconds };
            }
        }
        finally
        {
            await registry.Finished(this.GetPrimaryKeyString());
        }
    }

    private Task<ScenarioReport> RunOne(ScenarioSpec spec, SimulatedWorldOptions world, double? speed, double offset)
    {
        var progress = new Reporter(p =>
        {
            lock (_gate)
            {
                if (_status is { State: "running" })
                {
                    _status = _status with { Progress = offset + p.Fraction / 2 };
                }
            }
        });
        return new ScenarioRunner(new SimulatedWorld(topology, world), time)
            .RunAsync(spec, new ScenarioRunOptions { Speed = speed, Progress = progress }, _cancel.Token);
    }
}
