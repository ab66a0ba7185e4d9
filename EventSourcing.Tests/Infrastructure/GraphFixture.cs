using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EventSourcing.Tests.Infrastructure;

/// <summary>
/// The whole AppHost graph in local mode (the machine's PostgreSQL and Redis, the dev Kafka broker), started once for
/// every integration test: free ports, a throw-away data folder. Stopping it must leave no process behind.
/// </summary>
public class GraphFixture : IAsyncLifetime
{
    public static readonly string[] LongRunningResources = ["postgres", "redis-server", "kafka-dev-broker", "api", "processor", "explorer"];
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    /// <summary>How long the API's outbox relay waits for Kafka to acknowledge a message before it counts as failed.</summary>
    public static readonly TimeSpan RelayDeliveryTimeout = TimeSpan.FromSeconds(3);

    /// <summary>SNAPSHOT_MAX_AGE in the test graph (an hour by default).</summary>
    public static readonly TimeSpan SnapshotMaxAge = TimeSpan.FromSeconds(10);

    /// <summary>The processing-workers stall limit and the integrity check's period in the test graph.</summary>
    public static readonly TimeSpan HealthCheckLimit = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, int> _processIds = [];
    private readonly Dictionary<string, string[]> _replicas = [];
    private readonly string[] _settings;

    public GraphFixture()
        : this([])
    {
    }

    /// <param name="settings">More AppHost settings for a graph of another shape (replicas).</param>
    protected GraphFixture(string[] settings) => _settings = settings;

    public DistributedApplication App { get; private set; } = null!;
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "es-graph-" + Guid.NewGuid().ToString("N")[..10]);
    public TimeSpan StartDuration { get; private set; }
    public int MigrationsExitCode { get; private set; } = -1;

    public async Task InitializeAsync()
    {
        var stopwatch = Stopwatch.StartNew();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.EventSourcing_AppHost>(
            [
                "--Infrastructure:Mode=local",
                "--Infrastructure:FixedPorts=false",
                $"--Infrastructure:DataDirectory={DataDirectory}",
                // Poison events reach the dead-letter state in about 1.5 s instead of 15 s.
                "--Processing:FirstRetryDelayMs=100",
                // The relay gives a delivery up after 3 s instead of 15 s, so an outage test sees deliveries fail.
                $"--Kafka:Producer:message.timeout.ms={RelayDeliveryTimeout.TotalMilliseconds}",
                // Time-based snapshots of aggregates whose latest snapshot is older than this.
                $"--SNAPSHOT_MAX_AGE={SnapshotMaxAge.TotalSeconds}",
                // Health checks that notice a stall or an inconsistency within seconds.
                $"--Processing:StallAfterSeconds={HealthCheckLimit.TotalSeconds}",
                $"--EventStore:IntegrityCheckSeconds={HealthCheckLimit.TotalSeconds}",
                .. _settings,
            ],
            (options, _) => options.DisableDashboard = true);
        // No resilience handler on the test clients: a test makes exactly the requests it says, and sees every 5xx.

        App = await builder.BuildAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        await App.StartAsync(timeout.Token);

        var migrations = await App.ResourceNotifications.WaitForResourceAsync("migrations", e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), timeout.Token);
        MigrationsExitCode = migrations.Snapshot.ExitCode ?? -1;
        foreach (var name in LongRunningResources)
        {
            await WaitHealthyAsync(name, timeout.Token);
        }

        StartDuration = stopwatch.Elapsed;

        // What a scraper sees before any traffic: taken now, before the first test runs.
        foreach (var service in new[] { "api", "processor" })
        {
            using var scrape = CreateHttpClient(service);
            InitialMetrics[service] = await scrape.GetStringAsync(new Uri("/metrics", UriKind.Relative), timeout.Token);
        }
    }

    /// <summary>Each service's /metrics as it was right after the graph became healthy, before any test ran.</summary>
    public Dictionary<string, string> InitialMetrics { get; } = [];

    public HttpClient CreateHttpClient(string resource) => App.CreateHttpClient(resource, "http");

    /// <summary>
    /// The resource's /metrics text once <paramref name="ready"/> holds (the exporter publishes what was recorded a
    /// moment ago), or the last scrape after <paramref name="wait"/> (20 s), for the caller to assert on.
    /// </summary>
    public async Task<string> ScrapeMetricsAsync(string resource, Func<string, bool> ready, TimeSpan? wait = null)
    {
        using var scrape = CreateHttpClient(resource);
        var deadline = DateTime.UtcNow + (wait ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var metrics = await (await scrape.GetAsync(new Uri("/metrics", UriKind.Relative))).Content.ReadAsStringAsync();
            if (ready(metrics) || DateTime.UtcNow >= deadline)
            {
                return metrics;
            }

            await Task.Delay(500);
        }
    }

    public async Task<string> ConnectionStringAsync(string name) =>
        await App.GetConnectionStringAsync(name) ?? throw new InvalidOperationException($"no connection string for {name}");

    /// <summary>The first column of the first row of <paramref name="sql"/>, run on the event store.</summary>
    public async Task<T> EventStoreScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(await ConnectionStringAsync("eventstore"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public IReadOnlyDictionary<string, int> ProcessIds => _processIds;

    /// <summary>A consumer of <paramref name="topic"/> in a group of its own, from the earliest offset.</summary>
    public async Task<IConsumer<string, byte[]>> ConsumerAsync(string topic, string purpose)
    {
        var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = await ConnectionStringAsync("kafka"),
            GroupId = $"{purpose}-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            SessionTimeoutMs = 6000,
            FetchWaitMaxMs = 10,
        }).Build();
        consumer.Subscribe(topic);
        return consumer;
    }

    /// <summary>Stops a resource of the graph (as an operator would) and waits until it has exited.</summary>
    public async Task StopResourceAsync(string name, CancellationToken cancellationToken)
    {
        var stopped = await App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(name, KnownResourceCommands.StopCommand, cancellationToken);
        Assert.True(stopped.Success, stopped.Message);
        await WaitForExitAsync(name, cancellationToken);
        // Idle connections the tests' own pools keep to a stopped database are dead: the next test must not get one.
        NpgsqlConnection.ClearAllPools();
    }

    public async Task WaitForExitAsync(string name, CancellationToken cancellationToken) =>
        await App.ResourceNotifications.WaitForResourceAsync(name, e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), cancellationToken);

    /// <summary>Starts a stopped resource again and waits until it is healthy (its new process is the one disposal checks).</summary>
    public async Task StartResourceAsync(string name, CancellationToken cancellationToken)
    {
        var started = await App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(name, KnownResourceCommands.StartCommand, cancellationToken);
        Assert.True(started.Success, started.Message);
        await WaitHealthyAsync(name, cancellationToken);
    }

    /// <summary>
    /// Waits until the resource is healthy, every replica of it, and remembers their processes (by the replica's name
    /// when there are several), which must not outlive the graph. Returns the first one's.
    /// </summary>
    public async Task<int?> WaitHealthyAsync(string name, CancellationToken cancellationToken)
    {
        var replicas = App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == name)
            .Annotations.OfType<ReplicaAnnotation>().SingleOrDefault()?.Replicas ?? 1;
        if (replicas == 1)
        {
            return Remember(name, await App.ResourceNotifications.WaitForResourceHealthyAsync(name, cancellationToken));
        }

        // Each replica reports under a resource id of its own.
        var healthy = new Dictionary<string, ResourceEvent>();
        await foreach (var update in App.ResourceNotifications.WatchAsync(cancellationToken))
        {
            if (update.Resource.Name == name && update.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy)
            {
                healthy[update.ResourceId] = update;
                if (healthy.Count == replicas)
                {
                    break;
                }
            }
        }

        _replicas[name] = [.. healthy.Keys];
        var processIds = healthy.Select(replica => Remember(replica.Key, replica.Value)).ToList();
        return processIds[0];
    }

    /// <summary>The processes of a resource's replicas, by replica name (one entry, under the resource's name, when it has one).</summary>
    public IReadOnlyDictionary<string, int> ReplicaProcessIds(string name) =>
        (_replicas.TryGetValue(name, out var instances) ? instances : [name]).ToDictionary(instance => instance, instance => _processIds[instance]);

    private int? Remember(string key, ResourceEvent ready)
    {
        var pid = ready.Snapshot.Properties.FirstOrDefault(p => p.Name.EndsWith(".pid", StringComparison.Ordinal))?.Value;
        if (pid is not null && int.TryParse(pid.ToString(), out var processId))
        {
            _processIds[key] = processId;
            return processId;
        }

        return null;
    }

    public async Task DisposeAsync()
    {
        GraphClients.DisposeAll();
        await App.StopAsync();
        await App.DisposeAsync();

        // Nothing of the graph may outlive it: the resources' processes, and the servers using our data folder.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<string> leftovers;
        do
        {
            leftovers = [.. LeftoverProcesses()];
            if (leftovers.Count == 0)
            {
                break;
            }

            await Task.Delay(500);
        }
        while (DateTime.UtcNow < deadline);

        if (leftovers.Count > 0)
        {
            throw new InvalidOperationException("The graph left processes behind: " + string.Join("; ", leftovers));
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A best effort: the folder is under /tmp.
        }
    }

    private IEnumerable<string> LeftoverProcesses()
    {
        foreach (var (name, pid) in _processIds)
        {
            if (ProcessAlive(pid))
            {
                yield return $"{name} (pid {pid})";
            }
        }

        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var cmdline = TryRead(Path.Combine(dir, "cmdline"));
            if (cmdline is not null && cmdline.Contains(DataDirectory, StringComparison.Ordinal))
            {
                yield return $"pid {Path.GetFileName(dir)}: {cmdline.Replace('\0', ' ')}";
            }
        }
    }

    private static bool ProcessAlive(int pid)
    {
        var status = TryRead($"/proc/{pid}/status");
        // A zombie has exited; it only waits for its parent to read the exit code.
        return status is not null && !status.Contains("State:\tZ", StringComparison.Ordinal);
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class GraphCollection : ICollectionFixture<GraphFixture>
{
    public const string Name = "graph";
}
