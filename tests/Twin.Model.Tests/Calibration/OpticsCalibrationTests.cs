using Twin.Model.Fabric;
using Twin.Model.Planning;

namespace Twin.Model.Tests.Calibration;

/// <summary>Optics rows of docs/calibration.md: per-port power as NVIDIA (GTC 2025) and Broadcom (2025) publish it.</summary>
public sealed class OpticsCalibrationTests
{
    private static readonly IReadOnlyDictionary<OpticType, OpticsTechnology> Table = PlanParameters.Default.Optics;

    [Fact]
    public void Nvidia_1600GPort_Cpo9W_Pluggable30W()
    {
        Published.Within(Table[OpticType.Cpo].WattsPerEnd(1600), 9, 0.10, "1.6T CPO port");
        Published.Within(Table[OpticType.Dsp].WattsPerEnd(1600), 30, 0.10, "1.6T DSP pluggable");
        Published.Within(Table[OpticType.Dsp].WattsPerEnd(1600) / Table[OpticType.Cpo].WattsPerEnd(1600), 3.5, 0.10, "CPO power efficiency ×");
    }

    [Fact]
    public void Broadcom_Davisson_CpoSaves70PercentOfOpticalPower()
    {
        // both ends co-packaged: the whole link at the CPO figure
        var saving = 1 - Table[OpticType.Cpo].WattsPerEnd(800) / Table[OpticType.Dsp].WattsPerEnd(800);
        Published.Within(saving, 0.70, 0.10, "CPO saving vs pluggable");
    }
}
