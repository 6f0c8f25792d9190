namespace Twin.Model.Inventory.Import;

/// <summary>Runs the parser of a format over one or more files and combines what they describe into one fragment.</summary>
public static class InventoryImporter
{
    /// <summary>
    /// Parses <c>files</c> of <c>format</c> as site <c>site</c> (required for every format but <see cref="InventoryFormat.Twin"/>,
    /// whose documents name their sites). <c>device</c>, for LLDP only, names the reporting device when the file does not.
    /// </summary>
    public static ImportResult Parse(InventoryFormat format, IReadOnlyList<ImportFile> files, string? site, string? device = null)
    {
        if (files.Count == 0)
        {
            throw new InventoryException("import", [new InventoryIssue("files", null, "no file to import")]);
        }
        if (format == InventoryFormat.Twin)
        {
            return Combine(files.Select(f => Twin(f, site)).ToList());
        }
        if (!InventoryNames.IsSiteName(site) || site is "dci" or "factory")
        {
            throw new InventoryException("import", [new InventoryIssue("site", null,
                $"'{site}' is not a site name: lower-case letters, digits and '-', starting with a letter ({format} files do not name their site)")]);
        }
        if (format == InventoryFormat.Netbox)
        {
            return NetboxParser.Parse(files, site!);
        }
        return Combine(files.Select(f => format switch
        {
            InventoryFormat.Ibnetdiscover => IbnetdiscoverParser.Parse(f, site!),
            InventoryFormat.Dot => DotParser.Parse(f, site!),
            InventoryFormat.Slurm => SlurmParser.Parse(f, site!),
            InventoryFormat.Lldp => LldpParser.Parse(f, site!, device),
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        }).ToList());
    }

    private static ImportResult Twin(ImportFile file, string? site)
    {
        var doc = InventorySerializer.Read(file.Text, file.Name);
        if (site is null)
        {
            return new ImportResult(doc, Counts(doc), []);
        }
        var chosen = doc.Sites.Count == 1 ? doc.Sites[0] with { Name = site } : doc.Sites.FirstOrDefault(s => s.Name == site)
            ?? throw new InventoryException(file.Name, [new InventoryIssue("sites", null, $"the document has {doc.Sites.Count} sites and none is named '{site}'")]);
        var one = new InventoryDocument { Name = doc.Name, Sites = [chosen] };
        return new ImportResult(one, Counts(one), doc.Dci.Count > 0
            ? [new InventoryIssue("dci", null, $"{doc.Dci.Count} DCI circuits not imported: importing one site (omit site to import the whole document)")]
            : []);
    }

    private static Dictionary<string, int> Counts(InventoryDocument doc) => new()
    {
        ["sites"] = doc.Sites.Count,
        ["hosts"] = doc.Sites.Sum(s => s.Hosts.Count),
        ["switches"] = doc.Sites.Sum(s => s.Switches.Count),
        ["cables"] = doc.Sites.Sum(s => s.Cables.Count),
        ["storage"] = doc.Sites.Sum(s => s.Storage.Count),
        ["dci"] = doc.Dci.Count,
    };

    private static ImportResult Combine(IReadOnlyList<ImportResult> results)
    {
        if (results.Count == 1)
        {
            return results[0];
        }
        var doc = results[0].Inventory;
        var parsed = new Dictionary<string, int>(results[0].Parsed);
        var warnings = new List<InventoryIssue>(results[0].Warnings);
        foreach (var r in results.Skip(1))
        {
            doc = InventoryMerge.Apply(doc, r.Inventory).Inventory;
            foreach (var (k, v) in r.Parsed)
            {
                parsed[k] = parsed.GetValueOrDefault(k) + v;
            }
            warnings.AddRange(r.Warnings);
        }
        return new ImportResult(doc, parsed, warnings);
    }
}
