using System.CommandLine;
using System.Globalization;
using Twin.Contracts.Events;

namespace Twin.Silo.Cli.Remote;

/// <summary>
/// <c>twin events</c>: the event history (after <c>--since</c>), or with <c>--watch</c> the live SSE feed, which
/// reconnects on its own and resumes where it stopped.
/// </summary>
public static class EventsCommand
{
    public static Command Create()
    {
        var remote = new RemoteOptions();
        var watch = new Option<bool>("--watch", "-w") { Description = "follow the live feed until Ctrl-C (or --count events)" };
        var site = new Option<string?>("--site") { Description = "only events of this site" };
        var kind = new Option<string?>("--kind") { Description = "only this event kind: health-changed, fault-injected, fault-repaired, ..." };
        kind.CompletionSources.Add(_ => ["health-changed", "fault-injected", "fault-repaired", "fault-summary"]);
        var since = new Option<long?>("--since") { Description = "start after this event sequence (history: default 0; watch: default now)" };
        var count = new Option<int?>("--count") { Description = "stop after this many events" };
        var events = new Command("events", "The twin's event history, or the live feed with --watch (JSON output: one object per line).")
        {
            watch, site, kind, since, count,
        }.WithExamples("twin events --site east", "twin events --watch --kind fault-injected", "twin events -w -o json --count 1 | jq .faultId");
        events.SetAction((r, ct) => RemoteCall.Run(r, remote, ct, async (client, output, token) =>
        {
            var format = r.GetValue(remote.Output);
            var limit = r.GetValue(count) ?? int.MaxValue;
            if (limit < 1)
            {
                return RemoteCall.Usage(output, "--count must be at least 1");
            }
            var source = r.GetValue(watch)
                ? client.StreamEventsAsync(r.GetValue(since), r.GetValue(site), r.GetValue(kind), token)
                : client.ListEventsAsync(r.GetValue(since) ?? 0, r.GetValue(site), r.GetValue(kind), cancellationToken: token);
            var streaming = r.GetValue(watch);
            var seen = new List<TwinEvent>();
            if (streaming && format != OutputFormat.Json)
            {
                output.Out.WriteLine(Header(format == OutputFormat.Wide));
            }
            await foreach (var e in source)
            {
                if (streaming)
                {
                    // each event as it comes: a table would wait for the end that never comes
                    if (format == OutputFormat.Json)
                    {
                        output.JsonLine(e);
                    }
                    else
                    {
                        output.Out.WriteLine(Line(e, format == OutputFormat.Wide));
                    }
                    await output.Out.FlushAsync(token);
                }
                else
                {
                    seen.Add(e);
                }
                if (--limit == 0)
                {
                    break;
                }
            }
            if (!streaming)
            {
                if (format == OutputFormat.Json)
                {
                    output.Json(seen);
                }
                else
                {
                    output.Table(format == OutputFormat.Wide ? ["seq", "time", "kind", "site", "device", "health", "fault", "summary"] : ["seq", "time", "kind", "site", "summary"],
                        seen.Select(e => format == OutputFormat.Wide
                            ? new[] { Seq(e), Time(e), e.Kind, e.Site, e.DeviceId, e.Health?.ToString().ToLowerInvariant(), e.FaultId, e.Summary }
                            : new[] { Seq(e), Time(e), e.Kind, e.Site, e.Summary }));
                }
            }
            return ExitCodes.Ok;
        }));
        return remote.AddTo(events);
    }

    private static string Header(bool wide) => wide
        ? $"{"SEQ",8}  {"TIME",-20}  {"KIND",-16}  {"SITE",-8}  {"DEVICE",-24}  {"FAULT",-14}  SUMMARY"
        : $"{"SEQ",8}  {"TIME",-20}  {"KIND",-16}  {"SITE",-8}  SUMMARY";

    private static string Line(TwinEvent e, bool wide) => wide
        ? $"{Seq(e),8}  {Time(e),-20}  {e.Kind,-16}  {e.Site,-8}  {e.DeviceId ?? "-",-24}  {e.FaultId ?? "-",-14}  {e.Summary}"
        : $"{Seq(e),8}  {Time(e),-20}  {e.Kind,-16}  {e.Site,-8}  {e.Summary}";

    private static string Seq(TwinEvent e) => e.Sequence.ToString(CultureInfo.InvariantCulture);

    private static string Time(TwinEvent e) => e.Time.ToString("u", CultureInfo.InvariantCulture);
}
