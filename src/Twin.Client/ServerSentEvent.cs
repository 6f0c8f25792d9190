namespace Twin.Client;

/// <summary>One server-sent event: its id, type and data (multi-line data joined with '\n').</summary>
public readonly record struct ServerSentEvent(string? Id, string Type, string Data);
