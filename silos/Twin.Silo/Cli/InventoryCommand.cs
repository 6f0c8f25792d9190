using System.CommandLine;
using Twin.Model.Inventory;
using Twin.Model.Inventory.Import;
using Twin.Silo.Cli.Remote;

namespace Twin.Silo.Cli;

/// <summary>
/// <c>twin inventory import --format F FILE… [--site S]</c>: sends the files to a running twin, which merges them into
/// its inventory and serves the devices at once (<c>--dry-run</c> parses them here instead and reports what they hold);
/// <c>twin inventory get</c> prints the twin's inventory as YAML.
/// </summary>
public static class InventoryCommand
{
    public static Command Create()
    {
        var remote = new RemoteOptions();
        var format = new Option<InventoryFormat>("--format", "-f")
        {
            Description = "twin, ibnetdiscover, dot, netbox, slurm or lldp",
            Required = true,
        };
        var site = new Option<string?>("--site", "-s") { Description = "the site the files describe (not needed for twin documents)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "parse locally and report, without a running twin" };
        var files = new Argument<FileInfo[]>("files") { Description = "files to import (NetBox: devices and cables together)", Arity = ArgumentArity.OneOrMore };
        var import = new Command("import", "Import inventory files into a running twin (or check them with --dry-run).") { format, site, dryRun, files };
        import.SetAction(async (result, cancellationToken) =>
        {
            var output = CliOutput.From(result);
            var paths = result.GetValue(files)!;
            var missing = paths.FirstOrDefault(f => !f.Exists);
            if (missing is not null)
            {
                return RemoteCall.Usage(output, $"no such file: {missing.FullName}");
            }
            var fmt = result.GetValue(format);
            var siteName = result.GetValue(site);
            if (result.GetValue(dryRun))
            {
                try
                {
                    var parsed = InventoryImporter.Parse(fmt, [.. paths.Select(p => ImportFile.FromBytes(p.Name, File.ReadAllBytes(p.FullName)))], siteName);
                    var conversion = InventoryConverter.Convert(parsed.Inventory);
                    Print(output, new ImportReport(fmt.ToString().ToLowerInvariant(), [.. parsed.Inventory.Sites.Select(s => s.Name)], parsed.Parsed,
                        new Dictionary<string, ChangeCount>(), [.. parsed.Warnings, .. conversion.Warnings], 0, conversion.Topology.Devices.Count));
                    return ExitCodes.Ok;
                }
                catch (InventoryException e)
                {
                    return RemoteCall.Usage(output, e.Message);
                }
            }
            return await RemoteCall.Run(result, remote, cancellationToken, async (client, o, ct) =>
            {
                var report = await client.ImportInventoryAsync(fmt.ToString().ToLowerInvariant(), siteName,
                    [.. paths.Select(p => (p.Name, File.ReadAllBytes(p.FullName)))], ct);
                Print(o, report);
                return ExitCodes.Ok;
            });
        });

        var get = new Command("get", "Print the running twin's inventory as YAML.");
        get.SetAction((result, cancellationToken) => RemoteCall.Run(result, remote, cancellationToken, async (client, o, ct) =>
        {
            o.Out.Write(await client.GetInventoryYamlAsync(ct));
            return ExitCodes.Ok;
        }));
        var command = new Command("inventory", "Bring your own factory: import ibnetdiscover, topology.dot, NetBox, Slurm, LLDP or twin inventory files.") { import, get };
        remote.AddTo(command, output: false);
        return command;
    }

    private static void Print(CliOutput output, ImportReport report)
    {
        output.Out.WriteLine($"{report.Format} → site {string.Join(", ", report.Sites)}: {report.Devices:N0} devices served");
        output.Out.WriteLine("parsed:  " + string.Join("  ", report.Parsed.Select(p => $"{p.Key} {p.Value:N0}")));
        if (report.Changes.Count > 0)
        {
            output.Out.WriteLine("changes: " + string.Join("  ", report.Changes.Select(c => $"{c.Key} +{c.Value.Added} ~{c.Value.Updated}")));
        }
        foreach (var w in report.Warnings)
        {
            output.Error.WriteLine($"warning: {(w.Line is { } line ? $"{w.Path}:{line}" : w.Path)}: {w.Message}");
        }
        if (report.WarningsOmitted > 0)
        {
            output.Error.WriteLine($"warning: … and {report.WarningsOmitted:N0} more");
        }
    }
}
