using Twin.Contracts.Telemetry;
using Twin.Model.Devices;
using Twin.Model.Telemetry;
using Twin.Model.Topology;
using Twin.Telemetry.Mapping;

namespace Twin.Telemetry.Tests;

public sealed class TelemetryBatchBuilderTests
{
    // 64 hosts × 8 GPUs: more devices than the builder's first block of rows (256), so its pooled rows grow
    private static readonly FactoryTopology Large = TopologyGenerator.Generate(TopologyLoader.Parse("""
        name: rows
        sites:
          - name: east
            hosts: 64
            gpusPerHost: 8
            fabric: { radix: 64 }
        """));

    private static readonly List<DeviceDescriptor> Gpus = Large.Devices.Where(d => d.Kind == DeviceKind.Gpu).ToList();

    [Fact]
    public void ManyDevices_Interleaved_KeepTheirLatestReadings_InTheOrderFirstSeen()
    {
        var builder = new TelemetryBatchBuilder(new TelemetryMappingOptions(), TestTopology.Now);
        var order = Enumerable.Reverse(Gpus).ToList();
        var t0 = TestTopology.Now.AddMinutes(-1).UtcTicks;
        for (var round = 0; round < 3; round++)
        {
            foreach (var gpu in order)
            {
                Assert.Equal(SampleVerdict.Accepted, builder.Add(gpu, Metric.TemperatureC, gpu.Ordinal * 10 + round, t0 + round));
            }
        }
        foreach (var gpu in order)
        {
            builder.Add(gpu, Metric.TemperatureC, -1, t0); // older than what stands: ignored
            builder.Add(gpu, Metric.PowerW, gpu.Ordinal, 0);  // no time: the server's
        }

        var batch = builder.Build();
        Assert.Equal(order.Select(g => g.Id), batch.Devices.Select(d => d.DeviceId));
        Assert.All(batch.Devices.Zip(order), pair =>
        {
            var (telemetry, gpu) = pair;
            Assert.Equal([new(Metric.TemperatureC, gpu.Ordinal * 10 + 2), new(Metric.PowerW, gpu.Ordinal)], telemetry.Values);
            Assert.Equal(TestTopology.Now, telemetry.Time); // the latest of its readings
        });
        Assert.Equal(order.Count * 5, batch.Report.Accepted);
    }

    [Fact]
    public void ABatch_DoesNotInheritAnEarlierBatchsReadings_FromTheRowsItReuses()
    {
        var first = new TelemetryBatchBuilder(new TelemetryMappingOptions(), TestTopology.Now);
        foreach (var gpu in Gpus)
        {
            first.Add(gpu, Metric.TemperatureC, 70, 0);
            first.Add(gpu, Metric.PowerW, 500, 0);
        }
        first.Build();

        var second = new TelemetryBatchBuilder(new TelemetryMappingOptions(), TestTopology.Now);
        second.Add(Gpus[5], Metric.Utilization, 0.25, 0);
        var only = Assert.Single(second.Build().Devices);
        Assert.Equal(Gpus[5].Id, only.DeviceId);
        Assert.Equal([new MetricValue(Metric.Utilization, 0.25)], only.Values);
    }
}
