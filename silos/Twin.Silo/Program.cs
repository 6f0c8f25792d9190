using Twin.Silo.Cli;

return await TwinCommandLine.Create(args).Parse(args).InvokeAsync();

/// <summary>Entry point type, visible to tests.</summary>
public partial class Program;
