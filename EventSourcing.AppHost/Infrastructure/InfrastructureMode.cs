using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace EventSourcing.AppHost.Infrastructure;

/// <summary>Where PostgreSQL, Redis and Kafka come from.</summary>
public enum InfrastructureMode
{
    /// <summary>Containers (Docker or Podman): the official images, with data volumes.</summary>
    Containers,

    /// <summary>No container runtime: PostgreSQL and Redis from the machine's packages, Kafka from the dev broker.</summary>
    Local,

    /// <summary>Connection strings for eventstore, redis and kafka are configured: use them as they are.</summary>
    External,
}

public static class InfrastructureModeDetector
{
    public const string ConfigKey = "Infrastructure:Mode";
    public static readonly string[] ConnectionNames = ["eventstore", "redis", "kafka"];

    /// <summary>
    /// Configuration wins; then configured connection strings mean external; publishing always describes containers;
    /// otherwise containers only when a container runtime answers. Declaring containers without a runtime makes the
    /// AppHost wait forever, so the probe must be quick and conclusive. Local mode describes this machine's own
    /// servers, which no deployment has: publishing it is refused.
    /// </summary>
    public static InfrastructureMode Detect(IDistributedApplicationBuilder builder)
    {
        var configured = builder.Configuration[ConfigKey];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var mode = Enum.TryParse<InfrastructureMode>(configured, ignoreCase: true, out var parsed)
                ? parsed
                : throw new InvalidOperationException($"{ConfigKey} must be one of containers, local, external (got '{configured}').");
            return mode == InfrastructureMode.Local && builder.ExecutionContext.IsPublishMode
                ? throw new InvalidOperationException(
                    $"{ConfigKey}=local cannot be published: it runs this machine's PostgreSQL, Redis and dev Kafka broker, which a deployment does not have. " +
                    "Publish without it (containers), or with ConnectionStrings:eventstore, :redis and :kafka (external).")
                : mode;
        }

        if (ConnectionNames.All(name => !string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(name))))
        {
            return InfrastructureMode.External;
        }

        if (builder.ExecutionContext.IsPublishMode)
        {
            return InfrastructureMode.Containers;
        }

        return ContainerRuntimeAnswers("docker") || ContainerRuntimeAnswers("podman")
            ? InfrastructureMode.Containers
            : InfrastructureMode.Local;
    }

    private static bool ContainerRuntimeAnswers(string cli)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(cli, "info")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return false;
            }

            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // the CLI is not installed
        }
    }
}
