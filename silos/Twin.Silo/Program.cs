using Twin.Silo.Cli;

return await TwinCommandLine.InvokeAsync(args);

/// <summary>Entry point type, visible to tests.</summary>
public partial class Program;
