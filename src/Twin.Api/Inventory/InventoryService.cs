using Twin.Contracts.Events;
using Twin.Contracts.Sites;
using Twin.Contracts.Streams;
using Twin.Model.Inventory;
using Twin.Model.Inventory.Import;
using Twin.Model.Topology;
using Twin.Telemetry.Discovery;

namespace Twin.Api.Inventory;

/// <summary>
/// Changes the running twin's inventory: merges an import or an adopted host into it, converts it, installs the new
/// device list in the shared <see cref="FactoryTopology"/> (device grains of new ids activate on first use), tells the
/// changed sites' coordinators to recount, and logs an <c>inventory-changed</c> event. One change at a time.
/// </summary>
public sealed class InventoryService(FactoryTopology topology, IGrainFactory grains, DiscoveredHosts discovered, TimeProvider time)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public InventoryDocument Current => topology.Inventory ?? new InventoryDocument { Name = topology.Spec.Name };

    public async Task<ImportReport> Import(InventoryFormat format, IReadOnlyList<ImportFile> files, string? site, string? device)
    {
        var parsed = InventoryImporter.Parse(format, files, site, device);
        var (merge, devices, warnings) = await Apply(parsed.Inventory, $"{format.ToString().ToLowerInvariant()} import of {string.Join(", ", files.Select(f => f.Name))}");
        var all = parsed.Warnings.Concat(warnings).ToList();
        return new ImportReport(format.ToString().ToLowerInvariant(), parsed.Inventory.Sites.Select(s => s.Name).ToList(), parsed.Parsed,
            merge.Changes, all.Take(ImportReport.MaxWarnings).ToList(), Math.Max(0, all.Count - ImportReport.MaxWarnings), devices);
    }

    /// <summary>Makes a discovered host a host of <paramref name="site"/>: its GPUs (index, UUID, model) become devices.</summary>
    public async Task<(DiscoveredHost Host, ImportReport Report)?> Adopt(string host, string site)
    {
        if (discovered.Find(host) is not { } found)
        {
            return null;
        }
        var name = InventoryNames.Slug(found.Host) ?? throw new InventoryException("adopt", [new InventoryIssue("host", null, $"'{found.Host}' cannot be a host name")]);
        var adopted = new InventoryHost
        {
            Name = name,
            Aliases = name.Equals(found.Host, StringComparison.Ordinal) ? [] : [found.Host],
            Gpus = found.Gpus.Select(g => new InventoryGpu { Index = g.Index, Uuid = g.Uuid, Model = g.Model ?? "unknown" }).ToList(),
            Nics = found.Nics.Select(n => new InventoryNic { Name = n }).ToList(),
        };
        var fragment = new InventoryDocument { Name = Current.Name, Sites = [new InventorySite { Name = site, Hosts = [adopted] }] };
        var (merge, devices, warnings) = await Apply(fragment, $"adopted discovered host {found.Host}");
        discovered.Remove(found.Host);
        return (found, new ImportReport("adopt", [site], new Dictionary<string, int> { ["hosts"] = 1, ["gpus"] = adopted.Gpus.Count },
            merge.Changes, warnings, 0, devices));
    }

    private async Task<(MergeResult Merge, int Devices, IReadOnlyList<InventoryIssue> Warnings)> Apply(InventoryDocument fragment, string what)
    {
        await _gate.WaitAsync();
        try
        {
            var before = topology.SiteNames.ToHashSet(StringComparer.Ordinal);
            var merge = InventoryMerge.Apply(Current, fragment);
            var generatedFrom = topology.Spec;
            var conversion = InventoryConverter.Convert(merge.Inventory, new TopologySpec(generatedFrom.Name,
                generatedFrom.Sites.Where(s => !fragment.Sites.Any(f => f.Name == s.Name)).ToList(), generatedFrom.Dci));
            topology.ReplaceWith(conversion.Topology);
            var changed = fragment.Sites.Select(s => s.Name).ToList();
            foreach (var site in changed)
            {
                var coordinator = grains.GetGrain<ISiteCoordinatorGrain>(site);
                if (before.Contains(site))
                {
                    await coordinator.InventoryChanged();
                }
                else
                {
                    await coordinator.GetSummary(); // activate the new site's coordinator, as the factory does at start
                }
            }
            var now = time.GetUtcNow();
            var summary = string.Join(", ", merge.Changes.Where(c => c.Value.Added + c.Value.Updated > 0)
                .Select(c => $"{c.Key} +{c.Value.Added} ~{c.Value.Updated}"));
            await grains.GetGrain<IEventLogGrain>(TwinStreams.FactoryKey).Append([.. changed.Select(site => new TwinEvent
            {
                Id = $"inventory-{site}-{now.UtcTicks}-{topology.Version}",
                Time = now,
                Kind = "inventory-changed",
                Site = site,
                Summary = $"{what}: {(summary.Length > 0 ? summary : "no change")}",
            })]);
            return (merge, topology.Devices.Count, conversion.Warnings);
        }
        finally
        {
            _gate.Release();
        }
    }
}
