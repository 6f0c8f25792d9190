using System.Collections.Concurrent;

namespace Twin.Telemetry.Discovery;

/// <summary>
/// Hosts that sent telemetry the inventory does not know, with what their samples said about them (GPU indexes,
/// UUIDs and models, adapters), when first and last seen and how many samples came: discovery instead of loss.
/// Bounded (<see cref="MaxHosts"/>) so unknown names cannot grow it without limit; thread-safe.
/// </summary>
public sealed class DiscoveredHosts(TimeProvider time)
{
    public const int MaxHosts = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _hosts = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Notes one sample from <paramref name="host"/>; false when the registry is full and the host new.</summary>
    public bool Record(string host, int? gpu, string? uuid, string? model, string? nic)
    {
        if (!_hosts.TryGetValue(host, out var entry))
        {
            if (_hosts.Count >= MaxHosts)
            {
                return false;
            }
            entry = _hosts.GetOrAdd(host, h => new Entry(h, time.GetUtcNow()));
        }
        entry.Seen(time.GetUtcNow(), gpu, uuid, model, nic);
        return true;
    }

    public IReadOnlyList<DiscoveredHost> List() =>
        _hosts.Values.Select(e => e.View()).OrderBy(h => h.Host, StringComparer.OrdinalIgnoreCase).ToList();

    public DiscoveredHost? Find(string host) => _hosts.TryGetValue(host, out var e) ? e.View() : null;

    public bool Remove(string host) => _hosts.TryRemove(host, out _);

    private sealed class Entry(string host, DateTimeOffset first)
    {
        private readonly Lock _lock = new();
        private readonly SortedDictionary<int, DiscoveredGpu> _gpus = [];
        private readonly SortedSet<string> _nics = new(StringComparer.OrdinalIgnoreCase);
        private readonly DateTimeOffset _first = first;
        private DateTimeOffset _last = first;
        private long _samples;

        public void Seen(DateTimeOffset now, int? gpu, string? uuid, string? model, string? nic)
        {
            lock (_lock)
            {
                _samples++;
                _last = now > _last ? now : _last;
                if (gpu is { } index && index is >= 0 and < 1024)
                {
                    var old = _gpus.GetValueOrDefault(index);
                    _gpus[index] = new DiscoveredGpu(index, uuid ?? old?.Uuid, model ?? old?.Model);
                }
                if (nic is { Length: > 0 and <= 64 } && _nics.Count < 64)
                {
                    _nics.Add(nic);
                }
            }
        }

        public DiscoveredHost View()
        {
            lock (_lock)
            {
                return new DiscoveredHost(host, [.. _gpus.Values], [.. _nics], _first, _last, _samples);
            }
        }
    }
}

/// <summary>A host the inventory does not know, as its telemetry describes it.</summary>
public sealed record DiscoveredHost(string Host, IReadOnlyList<DiscoveredGpu> Gpus, IReadOnlyList<string> Nics,
    DateTimeOffset FirstSeen, DateTimeOffset LastSeen, long Samples);

public sealed record DiscoveredGpu(int Index, string? Uuid, string? Model);
