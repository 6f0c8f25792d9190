using Twin.Model.Devices;
using Twin.Model.Topology;

namespace Twin.Model.Fabric;

/// <summary>
/// Bisection bandwidth of a site computed from its actual links, so unequal pods, oversubscribed tiers and missing
/// or failed cables show: the GPUs with a fabric link are split into two halves in leaf order (hosts of one leaf stay
/// together, as a scheduler packs them), and the bisection is the maximum flow from one half to the other, each GPU
/// injecting at its NIC speed and each link carrying its speed in each direction (max-flow = min-cut, Dinic's algorithm).
/// For a non-blocking fat tree this is half the GPUs' injection bandwidth; a 2:1 oversubscribed tier halves what
/// crosses it. Pure; cost grows with links × augmenting rounds, so call it on inventory changes, not per sample.
/// </summary>
public static class FabricBisection
{
    /// <summary>
    /// Bisection of <paramref name="site"/>'s devices. <paramref name="capacityShare"/> scales a link's speed
    /// (1 = up, 0 = down); null counts every link at full speed.
    /// </summary>
    public static BisectionResult Compute(IEnumerable<DeviceDescriptor> site, Func<DeviceDescriptor, double>? capacityShare = null)
    {
        var devices = site.ToList();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var d in devices.Where(d => d.Kind is DeviceKind.Gpu or DeviceKind.Switch))
        {
            index[d.Id] = index.Count;
        }
        var source = index.Count;
        var sink = source + 1;
        var graph = new FlowGraph(sink + 1);
        var leafOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var perTier = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var link in devices.Where(d => d.Kind == DeviceKind.Link))
        {
            if (link.EndpointA is not { } a || link.EndpointB is not { } b || !index.TryGetValue(a, out var ia) || !index.TryGetValue(b, out var ib))
            {
                continue;
            }
            var gbps = link.SpeedGbps * Math.Clamp(capacityShare?.Invoke(link) ?? 1, 0, 1);
            perTier[link.Tier ?? "other"] = perTier.GetValueOrDefault(link.Tier ?? "other") + gbps;
            if (gbps > 0)
            {
                graph.AddUndirected(ia, ib, gbps);
            }
            if (link.Tier == "gpu-leaf")
            {
                leafOf.TryAdd(a, b);
            }
        }
        // GPUs with a fabric link, in leaf order, then as the inventory lists them
        var gpus = devices.Where(d => d.Kind == DeviceKind.Gpu && leafOf.ContainsKey(d.Id))
            .OrderBy(d => leafOf[d.Id], StringComparer.Ordinal).ThenBy(d => d.Ordinal).ToList();
        var half = gpus.Count / 2;
        for (var i = 0; i < half * 2; i++)
        {
            var gpu = gpus[i];
            if (i < half)
            {
                graph.AddDirected(source, index[gpu.Id], gpu.SpeedGbps);
            }
            else
            {
                graph.AddDirected(index[gpu.Id], sink, gpu.SpeedGbps);
            }
        }
        var flow = half > 0 ? graph.MaxFlow(source, sink) : 0;
        var injection = gpus.Take(half).Sum(g => g.SpeedGbps);
        return new BisectionResult(flow, injection, half, perTier);
    }

    /// <summary>A flow network with residual arcs in adjacency arrays.</summary>
    private sealed class FlowGraph(int nodes)
    {
        private readonly List<int>[] _adjacent = Enumerable.Range(0, nodes).Select(_ => new List<int>()).ToArray();
        private readonly List<int> _to = [];
        private readonly List<double> _capacity = [];
        private const double Epsilon = 1e-9;

        public void AddDirected(int from, int to, double capacity) => Add(from, to, capacity, 0);

        public void AddUndirected(int a, int b, double capacity) => Add(a, b, capacity, capacity);

        private void Add(int from, int to, double forward, double backward)
        {
            _adjacent[from].Add(_to.Count);
            _to.Add(to);
            _capacity.Add(forward);
            _adjacent[to].Add(_to.Count);
            _to.Add(from);
            _capacity.Add(backward);
        }

        public double MaxFlow(int source, int sink)
        {
            var total = 0.0;
            var level = new int[nodes];
            var next = new int[nodes];
            while (Levels(source, sink, level))
            {
                Array.Clear(next);
                double pushed;
                while ((pushed = Push(source, sink, double.MaxValue, level, next)) > Epsilon)
                {
                    total += pushed;
                }
            }
            return total;
        }

        private bool Levels(int source, int sink, int[] level)
        {
            Array.Fill(level, -1);
            level[source] = 0;
            var queue = new Queue<int>();
            queue.Enqueue(source);
            while (queue.TryDequeue(out var v))
            {
                foreach (var e in _adjacent[v])
                {
                    if (_capacity[e] > Epsilon && level[_to[e]] < 0)
                    {
                        level[_to[e]] = level[v] + 1;
                        queue.Enqueue(_to[e]);
                    }
                }
            }
            return level[sink] >= 0;
        }

        // Iterative depth-first blocking flow (a deep fabric must not overflow the stack).
        private double Push(int source, int sink, double limit, int[] level, int[] next)
        {
            var path = new List<int>();
            var v = source;
            while (true)
            {
                if (v == sink)
                {
                    var flow = path.Aggregate(limit, (m, e) => Math.Min(m, _capacity[e]));
                    foreach (var e in path)
                    {
                        _capacity[e] -= flow;
                        _capacity[e ^ 1] += flow;
                    }
                    return flow;
                }
                var advanced = false;
                for (; next[v] < _adjacent[v].Count; next[v]++)
                {
                    var e = _adjacent[v][next[v]];
                    if (_capacity[e] > Epsilon && level[_to[e]] == level[v] + 1)
                    {
                        path.Add(e);
                        v = _to[e];
                        advanced = true;
                        break;
                    }
                }
                if (advanced)
                {
                    continue;
                }
                if (path.Count == 0)
                {
                    return 0;
                }
                // dead end: retreat and skip the arc that led here
                level[v] = -1;
                var back = path[^1];
                path.RemoveAt(path.Count - 1);
                v = _to[back ^ 1];
                next[v]++;
            }
        }
    }
}

/// <summary>
/// A site's bisection: Gb/s that can cross between the two halves, the first half's injection bandwidth (what a
/// non-blocking fabric would carry), GPUs per half, and the link capacity per tier that went into it.
/// </summary>
public sealed record BisectionResult(double Gbps, double InjectionGbps, int GpusPerHalf, IReadOnlyDictionary<string, double> TierGbps)
{
    /// <summary>Injection over bisection: 1 for non-blocking, 2 for a 2:1 oversubscribed fabric.</summary>
    public double Oversubscription => Gbps > 0 ? InjectionGbps / Gbps : double.PositiveInfinity;
}
