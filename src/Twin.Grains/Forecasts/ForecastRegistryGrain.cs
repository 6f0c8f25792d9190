using Twin.Contracts.Forecasts;

namespace Twin.Grains.Forecasts;

/// <summary>Keeps the forecast ids and bounds how many run at once (each takes a core while it runs).</summary>
public sealed class ForecastRegistryGrain : Grain, IForecastRegistryGrain
{
    public const int MaxRunning = 4;
    public const int MaxKept = 50;

    private readonly List<string> _ids = [];
    private readonly HashSet<string> _running = new(StringComparer.Ordinal);

    public Task<bool> Admit(string id)
    {
        if (_running.Count >= MaxRunning)
        {
            return Task.FromResult(false);
        }
        _running.Add(id);
        _ids.Add(id);
        // the oldest finished forecasts make room; their grains are collected when idle
        while (_ids.Count > MaxKept && _ids.FirstOrDefault(i => !_running.Contains(i)) is { } oldest)
        {
            _ids.Remove(oldest);
        }
        return Task.FromResult(true);
    }

    public Task Finished(string id)
    {
        _running.Remove(id);
        return Task.CompletedTask;
    }

    public Task Forget(string id)
    {
        _running.Remove(id);
        _ids.Remove(id);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> Ids() => Task.FromResult<IReadOnlyList<string>>([.. _ids]);
}
