using System.Text;

namespace Twin.Api.Tests;

/// <summary>One server-sent event as a client sees it.</summary>
public sealed record SseMessage(string Id, string Event, string Data);

/// <summary>Reads the text/event-stream framing: field lines, a blank line ends an event; comments are skipped.</summary>
public sealed class SseReader(Stream stream)
{
    private readonly StreamReader _reader = new(stream, Encoding.UTF8);

    public async Task<SseMessage> Next(CancellationToken cancellationToken)
    {
        string id = "", type = "message";
        var data = new StringBuilder();
        while (true)
        {
            var line = await _reader.ReadLineAsync(cancellationToken) ?? throw new EndOfStreamException("the event stream ended");
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    return new SseMessage(id, type, data.ToString());
                }
                continue;
            }
            if (line[0] == ':')
            {
                continue;
            }
            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id": id = value; break;
                case "event": type = value; break;
                case "data": data.Append(data.Length > 0 ? "\n" : "").Append(value); break;
            }
        }
    }
}
