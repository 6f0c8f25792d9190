using System.Globalization;
using System.Text;
using Twin.Model.Fabric;

namespace Twin.Model.Planning;

/// <summary>
/// Writes a one-site topology file from a plan, so a planned site can be loaded and run by the twin
/// (same silicon, radix, tiers and optics per tier; hosts of <c>gpusPerHost</c> GPUs).
/// </summary>
public static class PlanTopologyWriter
{
    public static string Write(FabricPlanRequest request, FabricPlan plan, string site, int gpusPerHost, string gpuModel)
    {
        if (gpusPerHost < 1 || request.Gpus % gpusPerHost != 0)
        {
            throw new FabricPlanException("gpusPerHost", $"gpusPerHost must divide gpus ({request.Gpus}) exactly");
        }
        static string N(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
        string Optics(int tier) => OpticsTechnology.Name(request.Optics[Math.Min(tier, request.Optics.Count - 1)]);
        string Length(int tier) => N(request.LinkLengthsM[Math.Min(tier, request.LinkLengthsM.Count - 1)]);
        var nvlink = request.GpusPerNvlinkDomain % gpusPerHost == 0 || gpusPerHost % request.GpusPerNvlinkDomain == 0
            ? request.GpusPerNvlinkDomain
            : gpusPerHost;

        var y = new StringBuilder();
        y.AppendLine($"# Generated from a fabric plan: {plan.Tiers} tier(s) of radix {plan.Radix}, {plan.Switches:N0} switches, {N(plan.FabricPowerKw)} kW fabric power.");
        y.AppendLine($"name: plan-{site}");
        y.AppendLine("sites:");
        y.AppendLine($"  - name: {site}");
        y.AppendLine($"    hosts: {request.Gpus / gpusPerHost}");
        y.AppendLine($"    gpusPerHost: {gpusPerHost}");
        y.AppendLine($"    gpuModel: {gpuModel}");
        y.AppendLine($"    nvlinkDomain: {nvlink}");
        y.AppendLine($"    nicGbps: {N(request.NicGbps)}");
        y.AppendLine("    fabric:");
        y.AppendLine($"      siliconTbps: {N(plan.SiliconTbps)}");
        y.AppendLine($"      portGbps: {N(plan.PortGbps)}");
        y.AppendLine($"      radix: {plan.Radix}");
        y.AppendLine($"      gpuLeaf: {{ optics: {Optics(0)}, lengthM: {Length(0)} }}");
        if (plan.Tiers >= 2)
        {
            y.AppendLine($"      leafSpine: {{ optics: {Optics(1)}, lengthM: {Length(1)} }}");
        }
        if (plan.Tiers >= 3)
        {
            y.AppendLine($"      spineCore: {{ optics: {Optics(2)}, lengthM: {Length(2)} }}");
        }
        y.AppendLine("    storage:");
        y.AppendLine($"      - {{ tier: hot, nodes: {Math.Max(1, request.Gpus / 128)}, capacityTB: 500, readGBps: 50, writeGBps: 25 }}");
        return y.ToString();
    }
}
