using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Twin.Client;
using Twin.Client.Views;
using YamlDotNet.Core;

namespace Twin.Silo.Cli.Remote;

/// <summary><c>twin job submit -f job.yaml</c>: a training job from a YAML or JSON file shaped like the body of <c>POST /api/v1/jobs</c>.</summary>
public static class JobCommand
{
    public static Command Create()
    {
        var remote = new RemoteOptions();
        var file = new Option<FileInfo>("--file", "-f") { Description = "job file, YAML or JSON: name, gpus, sites, parallelism {tp, pp, dp}, checkpoint, ...", Required = true };
        var submit = new Command("submit", "Submit a training job; the twin places it topology-aware. Prints the job id.\n\nExample job.yaml:\n  name: llm-east\n  gpus: 64\n  sites: [east]\n  parallelism: { tp: 8, pp: 1, dp: 8 }\n  checkpoint: { intervalMinutes: 30, sizeGB: 1000 }")
        {
            file,
        }.WithExamples("twin job submit -f job.yaml", "twin job submit -f job.json -o json | jq -r .id");
        submit.SetAction((r, ct) => RemoteCall.Run(r, remote, ct, async (client, output, token) =>
        {
            var path = r.GetValue(file)!;
            JobRequest? job;
            try
            {
                var tree = YamlJson.Parse(await File.ReadAllTextAsync(path.FullName, token));
                job = tree?.Deserialize<JobRequest>(TwinJson.Options);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return RemoteCall.Usage(output, $"{path.Name}: {e.Message}");
            }
            catch (Exception e) when (e is YamlException or JsonException or InvalidCastException)
            {
                return RemoteCall.Usage(output, $"{path.Name}: not a job in YAML or JSON: {e.Message}");
            }
            if (job is null)
            {
                return RemoteCall.Usage(output, $"{path.Name} is empty");
            }
            var view = await client.SubmitJobAsync(job, token);
            if (r.GetValue(remote.Output) == OutputFormat.Json)
            {
                output.Json(view);
            }
            else
            {
                output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{view.Id} submitted: {view.Name}, {view.Gpus} GPUs on {string.Join(",", view.Sites)}, {view.State}, step {view.StepTimeMs:0.0} ms"));
            }
            return ExitCodes.Ok;
        }));
        return remote.AddTo(new Command("job", "Training jobs on a running twin.") { submit });
    }
}
