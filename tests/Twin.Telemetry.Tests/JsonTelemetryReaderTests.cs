using System.Text;
using Twin.Model.Telemetry;
using Twin.Telemetry.Json;

namespace Twin.Telemetry.Tests;

public sealed class JsonTelemetryReaderTests
{
    private static readonly JsonTelemetryReader Reader = new(TestTopology.Mapper());

    private static TelemetryBatch Read(string json) => Reader.Read(Encoding.UTF8.GetBytes(json).AsSpan(), TestTopology.Now);

    [Fact]
    public void GoodItems_AreApplied_AndBadItemsNamedByIndexAndField()
    {
        var batch = Read("""
            {"samples":[
              {"device":"east/gpu/h0001-0","time":"2026-11-24T09:59:30Z","metrics":{"temperature_c":61,"power_w":350}},
              {"metrics":{"utilization":0.5,"DCGM_FI_DEV_GPU_UTIL":50},"device":"east/gpu/h0001-1"},
              {"device":"east/gpu/h9999-0","metrics":{"temperature_c":1,"power_w":2}},
              {"device":"east/gpu/h0001-2","metrics":{"temp":70,"power_w":"hot","temperature_c":66}},
              {"device":"east/gpu/h0001-3","time":"yesterday","metrics":{"temperature_c":1}},
              42,
              {"device":"east/gpu/h0001-4"}
            ]}
            """);

        Assert.Equal(["east/gpu/h0001-0", "east/gpu/h0001-1", "east/gpu/h0001-2"], batch.Devices.Select(d => d.DeviceId));
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 9, 59, 30, TimeSpan.Zero), batch.Devices[0].Time);
        Assert.Equal(TestTopology.Now, batch.Devices[1].Time); // no time → server time
        Assert.Equal(0.5, batch.Devices[1].Values.Single(v => v.Metric == Metric.Utilization).Value);
        Assert.Equal(5, batch.Report.Accepted);
        Assert.Equal(2 + 2 + 1 + 1 + 1, batch.Report.Rejected);
        Assert.Equal(2, batch.Report.UnknownDevices);
        var errors = batch.Report.Errors.Select(e => (e.Index, e.Field)).ToList();
        Assert.Equal(
            [(2, "samples[2].device"), (3, "samples[3].metrics.temp"), (3, "samples[3].metrics.power_w"), (4, "samples[4].time"),
             (5, "samples[5]"), (6, "samples[6].metrics")],
            errors);
    }

    [Fact]
    public void NotJson_ThrowsAFormatErrorNamingLineAndPosition()
    {
        var e = Assert.Throws<TelemetryFormatException>(() => Read("{\"samples\":[\n  {\"device\": nope}\n]}"));

        Assert.Equal(2, e.Line);
        Assert.Contains("line 2", e.Message);
    }

    [Fact]
    public void JsonWithoutSamples_IsAFormatError()
    {
        Assert.Throws<TelemetryFormatException>(() => Read("""{"items":[]}"""));
        Assert.Throws<TelemetryFormatException>(() => Read(""));
    }
}
