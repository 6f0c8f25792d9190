using Twin.Contracts.Scenarios;
using Twin.Model.Scenarios;

namespace Twin.Grains.Scenarios;

/// <summary>
/// A scenario run requested over REST. It runs on the pure simulated world, off the grain's scheduler, so the
/// live twin is never touched and the grain keeps answering progress reads while the virtual clock runs.
/// </summary>
public sealed class ScenarioGrain(TimeProvider time) : Grain, IScenarioGrain
{
    private readonly Lock _gate = new();
    private ScenarioRunStatus? _status;
    private string? _report;

    public Task<ScenarioRunStatus> Start(string scenario, string path, int? seed, double? speed)
    {
        lock (_gate)
        {
            if (_status is not null)
            {
                return Task.FromResult(_status);
            }
            var spec = ScenarioLoader.LoadFile(path);
            if (seed is { } s)
            {
                spec = spec with { Seed = s };
            }
            _status = new ScenarioRunStatus
            {
                Id = this.GetPrimaryKeyString(), Scenario = scenario, State = "running", Progress = 0, VirtualSeconds = 0,
                DurationSeconds = spec.Duration.TotalSeconds, Interruptions = 0, FaultsInjected = 0, StartedAt = time.GetUtcNow(),
                Seed = spec.Seed, Speed = speed,
            };
            // keep the activation for as long as the run and its report matter
            DelayDeactivation(TimeSpan.FromHours(24));
            _ = Task.Run(() => Run(spec, speed));
            return Task.FromResult(_status);
        }
    }

    public Task<ScenarioRunStatus?> GetStatus()
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

    private sealed class Reporter(Action<ScenarioProgress> report) : IProgress<ScenarioProgress>
    {
        public void Report(ScenarioProgress value) => report(value);
    }

    private async Task Run(ScenarioSpec spec, double? speed)
    {
        // reported synchronously (Progress<T> would post to the thread pool, and a late post could
        // overwrite the final figures)
        var progress = new Reporter(p =>
        {
            lock (_gate)
            {
                if (_status!.State != "running")
                {
                    return;
                }
                _status = _status with
                {
                    Progress = p.Fraction, VirtualSeconds = p.Elapsed.TotalSeconds, Interruptions = p.Interruptions, FaultsInjected = p.FaultsInjected,
                };
            }
        });
        try
        {
            var report = await new ScenarioRunner(new SimulatedWorld(), time).RunAsync(spec, new ScenarioRunOptions { Speed = speed, Progress = progress });
            lock (_gate)
            {
                _report = report.ToJson();
                _status = _status! with
                {
                    State = report.Passed ? "passed" : "failed", Progress = 1, VirtualSeconds = report.VirtualSeconds,
                    Interruptions = report.Interruptions, WallSeconds = report.WallSeconds,
                };
            }
        }
        catch (Exception e)
        {
            lock (_gate)
            {
                _status = _status! with { State = "error", Error = e.Message };
            }
        }
    }
}
