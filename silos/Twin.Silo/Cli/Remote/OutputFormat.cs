namespace Twin.Silo.Cli.Remote;

/// <summary><c>-o</c>: an aligned table for people, the same table with more columns, or camelCase JSON for scripts.</summary>
public enum OutputFormat
{
    Table,
    Wide,
    Json,
}
