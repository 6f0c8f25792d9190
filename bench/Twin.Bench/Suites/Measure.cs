using System.Diagnostics;

namespace Twin.Bench.Suites;

/// <summary>Small timing helpers: run for a wall-clock budget, percentiles of latencies.</summary>
public static class Measure
{
    /// <summary>Runs <paramref name="work"/> on <paramref name="workers"/> concurrent loops for the budget; returns units done per second.</summary>
    public static async Task<double> Rate(int workers, TimeSpan budget, Func<int, Task<long>> work) =>
        (await Run(workers, budget, work)).PerSecond;

    /// <summary>As <see cref="Rate"/>, also giving the units done and the bytes this process allocated meanwhile.</summary>
    public static async Task<(double PerSecond, long Units, long AllocatedBytes)> Run(int workers, TimeSpan budget, Func<int, Task<long>> work)
    {
        var allocated = GC.GetTotalAllocatedBytes();
        var stop = Stopwatch.StartNew();
        long total = 0;
        var loops = Enumerable.Range(0, workers).Select(async w =>
        {
            var i = w;
            while (stop.Elapsed < budget)
            {
                Interlocked.Add(ref total, await work(i));
                i += workers;
            }
        });
        await Task.WhenAll(loops);
        return (total / stop.Elapsed.TotalSeconds, total, GC.GetTotalAllocatedBytes() - allocated);
    }

    /// <summary>How long to run a load unmeasured before measuring it: a quarter of the budget, at least 5 s.</summary>
    public static TimeSpan WarmUp(TimeSpan budget) => TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(5).Ticks, budget.Ticks / 4));

    public static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    /// <summary>Latency of <paramref name="call"/> in ms for the budget, by <paramref name="workers"/> concurrent callers, and the rate reached.</summary>
    public static async Task<(double RequestsPerSecond, List<double> LatenciesMs)> Load(int workers, TimeSpan budget, Func<Task> call)
    {
        var latencies = new List<double>[workers];
        var stop = Stopwatch.StartNew();
        var loops = Enumerable.Range(0, workers).Select(async w =>
        {
            var mine = latencies[w] = new List<double>(100_000);
            while (stop.Elapsed < budget)
            {
                var t = Stopwatch.GetTimestamp();
                await call();
                mine.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }
        });
        await Task.WhenAll(loops);
        var all = latencies.SelectMany(l => l).ToList();
        return (all.Count / stop.Elapsed.TotalSeconds, all);
    }
}
