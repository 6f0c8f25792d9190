using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Twin.Grains.Synthetic;

namespace Twin.Api.Tests;

/// <summary>Synthetic telemetry steps aside while real telemetry arrives (it would overwrite real readings and take cores).</summary>
public sealed class SyntheticYieldTests
{
    [Fact]
    public void Signal_HoldsForItsWindow_ThenLapses()
    {
        var time = new FakeTimeProvider();
        var signal = new RealTelemetrySignal(time);
        Assert.False(signal.ArrivedWithin(TimeSpan.FromSeconds(30))); // nothing real yet: synthetic runs

        signal.Arrived();
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.True(signal.ArrivedWithin(TimeSpan.FromSeconds(30)));

        time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(signal.ArrivedWithin(TimeSpan.FromSeconds(30))); // the exporters went quiet: synthetic resumes
    }

    [Fact]
    public async Task RealTelemetryThroughTheApi_RaisesTheSignal_ThatSyntheticRoundsObey()
    {
        await using var app = await Security.TwinTestHost.Start([]);
        var signal = app.Services.GetRequiredService<RealTelemetrySignal>();
        Assert.False(signal.ArrivedWithin(TimeSpan.FromHours(1)));

        using var response = await app.Http.PostAsync("/api/v1/telemetry/prometheus",
            new StringContent("DCGM_FI_DEV_GPU_TEMP{gpu=\"1\",Hostname=\"west-h0020\"} 33\n", Encoding.UTF8, "text/plain"), TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode);

        Assert.True(signal.ArrivedWithin(TimeSpan.FromHours(1)));
    }
}
