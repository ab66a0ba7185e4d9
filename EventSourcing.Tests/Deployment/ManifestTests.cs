using System.Text.RegularExpressions;

namespace EventSourcing.Tests.Deployment;

/// <summary>
/// The deployment manifest (azd, manifest-based tools), published without a container runtime and read as a deployer
/// would: nothing in it may only work on the publishing machine.
/// </summary>
public sealed partial class ManifestTests(ManifestTests.Published published) : IClassFixture<ManifestTests.Published>
{
    /// <summary>Values in the publishing shell's environment that must not travel into the manifest.</summary>
    private const string ShellSecret = "shell-secret-that-must-stay-on-the-publishing-machine";
    private const string ShellSnapshotInterval = "4242";

    public sealed class Published : IAsyncLifetime
    {
        public ManifestPublisher.Result Default { get; private set; } = null!;

        public async Task InitializeAsync() =>
            Default = await ManifestPublisher.PublishAsync([], new Dictionary<string, string>
            {
                ["JWT_SECRET"] = ShellSecret,
                ["SNAPSHOT_INTERVAL"] = ShellSnapshotInterval,
            });

        public Task DisposeAsync() => Task.CompletedTask;
    }

    private ManifestPublisher.Result Manifest => published.Default;

    [GeneratedRegex(@"\{([A-Za-z0-9-]+)\.")]
    private static partial Regex Placeholder();

    [Fact]
    public void Every_placeholder_names_a_resource_of_the_manifest()
    {
        Assert.True(Manifest.ExitCode == 0, Manifest.Output);
        var names = Manifest.Resources.EnumerateObject().Select(r => r.Name).ToHashSet();
        var dangling = Placeholder().Matches(Manifest.Text!).Select(m => m.Groups[1].Value).Where(n => !names.Contains(n)).Distinct().ToList();
        Assert.True(dangling.Count == 0, "placeholders naming no resource: " + string.Join(", ", dangling));
        foreach (var name in new[] { "eventstore", "redis", "kafka", "jwt-secret", "api", "processor" })
        {
            Assert.Contains(name, names);
        }

        // Run-mode helpers: the explorer (an operator runs it with their own token) and the simulator are not deployed.
        Assert.DoesNotContain("explorer", names);
        Assert.DoesNotContain("simulator", names);
    }

    [Fact]
    public void Services_publish_no_fixed_port_and_only_the_api_is_external()
    {
        foreach (var service in new[] { "api", "processor" })
        {
            foreach (var binding in Manifest.Resource(service).GetProperty("bindings").EnumerateObject())
            {
                Assert.False(binding.Value.TryGetProperty("port", out _), $"{service}.{binding.Name} publishes a fixed port");
            }
        }

        Assert.True(Manifest.Resource("api").GetProperty("bindings").GetProperty("http").GetProperty("external").GetBoolean());
        Assert.False(Manifest.Resource("processor").GetProperty("bindings").GetProperty("http").TryGetProperty("external", out _));
    }

    [Fact]
    public void Kafka_advertises_its_own_binding_host_to_the_other_services()
    {
        var kafka = Manifest.Resource("kafka");
        Assert.Equal("{kafka.bindings.tcp.host}:{kafka.bindings.tcp.port}", kafka.GetProperty("connectionString").GetString());
        var env = kafka.GetProperty("env");
        var advertised = Listeners(env.GetProperty("KAFKA_ADVERTISED_LISTENERS").GetString()!);
        var listening = Listeners(env.GetProperty("KAFKA_LISTENERS").GetString()!);

        // The listener clients bootstrap on (the tcp binding) and the one for other containers: never localhost.
        Assert.Equal("{kafka.bindings.tcp.host}:{kafka.bindings.tcp.port}", advertised["CLIENT"]);
        Assert.Equal("{kafka.bindings.internal.host}:{kafka.bindings.internal.port}", advertised["INTERNAL"]);
        Assert.EndsWith(":9092", listening["CLIENT"], StringComparison.Ordinal);
        Assert.EndsWith(":9093", listening["INTERNAL"], StringComparison.Ordinal);
        Assert.Equal(9092, kafka.GetProperty("bindings").GetProperty("tcp").GetProperty("targetPort").GetInt32());
        Assert.Equal(9093, kafka.GetProperty("bindings").GetProperty("internal").GetProperty("targetPort").GetInt32());
        // Every advertised listener exists, and only the broker's own loopback listener says localhost.
        Assert.All(advertised.Keys, name => Assert.Contains(name, listening.Keys));
        Assert.All(advertised.Where(l => l.Key != "BROKER"), l => Assert.DoesNotContain("localhost", l.Value, StringComparison.Ordinal));
    }

    [Fact]
    public void The_event_store_is_a_connection_string_and_the_cache_keeps_nothing_on_disk()
    {
        var eventStore = Manifest.Resource("eventstore");
        Assert.Equal("parameter.v0", eventStore.GetProperty("type").GetString());
        Assert.Equal("{eventstore.value}", eventStore.GetProperty("connectionString").GetString());
        Assert.True(eventStore.GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean());
        Assert.False(Manifest.Resources.TryGetProperty("postgres", out _), "no PostgreSQL container in a deployment");

        var redis = Manifest.Resource("redis");
        Assert.False(redis.TryGetProperty("volumes", out _), "Redis is a cache: no volume");
        Assert.DoesNotContain("--save", redis.GetRawText(), StringComparison.Ordinal);

        var kafkaVolume = Assert.Single(Manifest.Resource("kafka").GetProperty("volumes").EnumerateArray());
        Assert.Equal("/var/lib/kafka/data", kafkaVolume.GetProperty("target").GetString());
        Assert.StartsWith("eventsourcing.apphost-", kafkaVolume.GetProperty("name").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_jwt_secret_is_generated_and_no_value_of_the_publishing_shell_is_in_the_manifest()
    {
        var input = Manifest.Resource("jwt-secret").GetProperty("inputs").GetProperty("value");
        Assert.True(input.GetProperty("secret").GetBoolean());
        var generate = input.GetProperty("default").GetProperty("generate");
        Assert.True(generate.GetProperty("minLength").GetInt32() >= 48);
        Assert.Equal("{jwt-secret.value}", Manifest.Resource("api").GetProperty("env").GetProperty("JWT_SECRET").GetString());

        Assert.DoesNotContain(ShellSecret, Manifest.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(ShellSnapshotInterval, Manifest.Text, StringComparison.Ordinal);
        var interval = Manifest.Resource("snapshot-interval").GetProperty("inputs").GetProperty("value").GetProperty("default").GetProperty("value").GetString();
        Assert.Equal("100", interval);
        Assert.Equal("{snapshot-interval.value}", Manifest.Resource("processor").GetProperty("env").GetProperty("SNAPSHOT_INTERVAL").GetString());
    }

    [Fact]
    public void Without_a_run_once_job_the_services_apply_the_schema_themselves()
    {
        Assert.False(Manifest.Resources.TryGetProperty("migrations", out _), "a migration runner would be restarted forever");
        foreach (var service in new[] { "api", "processor" })
        {
            Assert.Equal("true", Manifest.Resource(service).GetProperty("env").GetProperty("EventStore__MigrateOnStartup").GetString());
            Assert.False(Manifest.Resource(service).GetProperty("env").TryGetProperty("EVENT_STORE_SCHEMA", out _));
        }
    }

    [Fact]
    public async Task Publishing_local_mode_is_refused_with_a_clear_message()
    {
        var local = await ManifestPublisher.PublishAsync(["--Infrastructure:Mode=local"]);
        Assert.NotEqual(0, local.ExitCode);
        Assert.Contains("Infrastructure:Mode=local cannot be published", local.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kafka_can_be_published_as_a_managed_service_connection_string()
    {
        var external = await ManifestPublisher.PublishAsync(["--Infrastructure:PublishKafka=external"]);
        Assert.True(external.ExitCode == 0, external.Output);
        Assert.Equal("parameter.v0", external.Resource("kafka").GetProperty("type").GetString());
        Assert.Equal("{kafka.connectionString}", external.Resource("api").GetProperty("env").GetProperty("ConnectionStrings__kafka").GetString());
    }

    /// <summary>"NAME://host:port,..." as name to address.</summary>
    private static Dictionary<string, string> Listeners(string value) =>
        value.Split(',').Select(l => l.Split("://", 2)).ToDictionary(p => p[0], p => p[1]);
}
