using System.Text;

namespace Twin.Model.Inventory.Import;

/// <summary>RFC 4180 CSV: a header row and records, quoted fields with doubled quotes and embedded commas or newlines.</summary>
internal sealed class CsvTable
{
    private CsvTable(IReadOnlyList<string> header, List<(string[] Fields, int Line)> rows)
    {
        Header = header;
        Rows = rows;
    }

    public IReadOnlyList<string> Header { get; }

    public IReadOnlyList<(string[] Fields, int Line)> Rows { get; }

    public int Column(params string[] names)
    {
        foreach (var name in names)
        {
            for (var i = 0; i < Header.Count; i++)
            {
                if (Header[i].Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }
        }
        return -1;
    }

    public static CsvTable Parse(string text)
    {
        var records = new List<(string[] Fields, int Line)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var line = 1;
        var recordLine = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    field.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"':
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    if (fields.Count > 1 || fields[0].Length > 0)
                    {
                        records.Add((fields.ToArray(), recordLine));
                    }
                    fields.Clear();
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add((fields.ToArray(), recordLine));
        }
        var header = records.Count > 0 ? records[0].Fields.Select(h => h.Trim()).ToArray() : [];
        return new CsvTable(header, records.Skip(1).ToList());
    }
}
