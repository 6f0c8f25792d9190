using System.Globalization;
using System.Text;

namespace Twin.Telemetry.Tests;

/// <summary>Text shaped like dcgm-exporter's /metrics on an HGX H100 host (HELP/TYPE, its label set, integer and decimal values).</summary>
internal static class DcgmSample
{
    public const int Families = 7;

    public static string Text(int hosts, int gpus, string site = "east")
    {
        var text = new StringBuilder();
        void Family(string name, string type, string help, Func<int, int, string> value)
        {
            text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            for (var h = 0; h < hosts; h++)
            {
                for (var g = 0; g < gpus; g++)
                {
                    text.Append(CultureInfo.InvariantCulture,
                        $"{name}{{gpu=\"{g}\",UUID=\"GPU-{h:x4}{g:x4}-5f0f-4a4e-9c1d-2b7e3c8d{g:x4}\",pci_bus_id=\"00000000:{0x18 + g:X2}:00.0\",device=\"nvidia{g}\",modelName=\"NVIDIA H100 80GB HBM3\",Hostname=\"{site}-h{h:D4}\",DCGM_FI_DRIVER_VERSION=\"535.129.03\"}} {value(h, g)}\n");
                }
            }
        }
        Family("DCGM_FI_DEV_SM_CLOCK", "gauge", "SM clock frequency (in MHz).", (_, _) => "1980");
        Family("DCGM_FI_DEV_GPU_TEMP", "gauge", "GPU temperature (in C).", (_, g) => (61 + g).ToString(CultureInfo.InvariantCulture));
        Family("DCGM_FI_DEV_POWER_USAGE", "gauge", "Power draw (in W).", (_, _) => "350.123");
        Family("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", "counter", "Total energy consumption since boot (in mJ).", (_, _) => "123456789");
        Family("DCGM_FI_DEV_GPU_UTIL", "gauge", "GPU utilization (in %).", (_, _) => "85");
        Family("DCGM_FI_DEV_FB_USED", "gauge", "Framebuffer memory used (in MiB).", (_, _) => "40960");
        Family("DCGM_FI_DEV_XID_ERRORS", "gauge", "Value of the last XID error encountered.", (_, _) => "0");
        return text.ToString();
    }
}
