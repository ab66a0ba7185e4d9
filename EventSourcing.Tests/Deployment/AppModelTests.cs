using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using EventSourcing.Api.Security;
using EventSourcing.AppHost.Dashboard;
using EventSourcing.AppHost.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;

namespace EventSourcing.Tests.Deployment;

/// <summary>
/// The AppHost's containers mode (Docker on a laptop), built as `dotnet run` would build it but not started: no
/// container runtime is needed to check what the containers and the services would be given.
/// </summary>
[Trait("Category", "Unit")]
public sealed class AppModelTests
{
    [Fact]
    public async Task Without_fixed_ports_the_orchestrator_picks_every_host_port()
    {
        await using var app = await BuildAsync("--Infrastructure:FixedPorts=false");
        foreach (var (resource, endpoint) in new[] { ("api", "http"), ("processor", "http"), ("kafka", "tcp"), ("kafka", "internal") })
        {
            var annotation = Endpoint(app, resource, endpoint);
            Assert.Null(annotation.Port);
            Assert.True(annotation.IsProxied, $"{resource}.{endpoint} should be proxied");
        }
    }

    [Fact]
    public async Task With_fixed_ports_the_seed_ports_are_used()
    {
        await using var app = await BuildAsync();
        Assert.Equal(InfrastructureSettings.ApiPort, Endpoint(app, "api", "http").Port);
        Assert.Equal(InfrastructureSettings.ProcessorPort, Endpoint(app, "processor", "http").Port);
        Assert.Equal(InfrastructureSettings.KafkaPort, Endpoint(app, "kafka", "tcp").Port);
        Assert.Equal(9092, Endpoint(app, "kafka", "tcp").TargetPort);
    }

    [Fact]
    public async Task Every_run_uses_the_PostgreSQL_password_the_data_volume_was_created_with()
    {
        string first;
        await using (var app = await BuildAsync())
        {
            first = (await Password(app))!;
        }

        await using var again = await BuildAsync();
        Assert.False(string.IsNullOrEmpty(first));
        Assert.Equal(first, await Password(again));
        var volume = Assert.Single(Model(again).Resources.Single(r => r.Name == "postgres").Annotations.OfType<ContainerMountAnnotation>());
        Assert.Equal(ContainerMountType.Volume, volume.Type);
    }

    [Fact]
    public async Task Kafka_advertises_the_host_port_to_host_processes_and_its_name_to_containers()
    {
        await using var app = await BuildAsync("--Infrastructure:FixedPorts=false");
        var kafka = (KafkaServerResource)Model(app).Resources.Single(r => r.Name == "kafka");
        // What the orchestrator does at start: a proxy port on the host, the container's name on its network.
        Endpoint(app, "kafka", "tcp").AllocatedEndpoint = new AllocatedEndpoint(Endpoint(app, "kafka", "tcp"), "localhost", 51234);
        Endpoint(app, "kafka", "internal").AllocatedEndpoint = new AllocatedEndpoint(Endpoint(app, "kafka", "internal"), "localhost", 51235);

        var configuration = await ExecutionConfigurationBuilder.Create(kafka).WithEnvironmentVariablesConfig()
            .BuildAsync(app.Services.GetRequiredService<DistributedApplicationExecutionContext>(), NullLogger.Instance, CancellationToken.None);
        Assert.Null(configuration.Exception);
        var env = configuration.EnvironmentVariables.ToDictionary();
        Assert.Equal("BROKER://localhost:29092,CLIENT://localhost:51234,INTERNAL://kafka:9093", env["KAFKA_ADVERTISED_LISTENERS"]);
        Assert.Equal("BROKER://localhost:29092,CONTROLLER://localhost:29093,CLIENT://0.0.0.0:9092,INTERNAL://0.0.0.0:9093", env["KAFKA_LISTENERS"]);
        Assert.Equal("BROKER", env["KAFKA_INTER_BROKER_LISTENER_NAME"]);
        // Host processes (the API and the processor in run mode) bootstrap through the proxied host port.
        Assert.Equal("localhost:51234", await kafka.ConnectionStringExpression.GetValueAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_services_declare_readiness_from_ready_and_liveness_from_health()
    {
        await using var app = await BuildAsync();
        foreach (var service in new[] { "api", "processor" })
        {
#pragma warning disable ASPIREPROBES001 // Experimental in Aspire 13 (what the Container Apps and Kubernetes publishers read).
            var probes = Model(app).Resources.Single(r => r.Name == service).Annotations.OfType<EndpointProbeAnnotation>().ToDictionary(p => p.Type, p => p.Path);
            Assert.Equal("/ready", probes[ProbeType.Readiness]);
            Assert.Equal("/health", probes[ProbeType.Liveness]);
#pragma warning restore ASPIREPROBES001
        }
    }

    [Fact]
    public async Task The_cache_has_no_volume()
    {
        await using var app = await BuildAsync();
        Assert.Empty(Model(app).Resources.Single(r => r.Name == "redis").Annotations.OfType<ContainerMountAnnotation>());
    }

    [Fact]
    public async Task The_simulator_runs_only_when_enabled_after_the_api_with_a_game_service_token()
    {
        await using (var without = await BuildAsync())
        {
            Assert.DoesNotContain(Model(without).Resources, r => r.Name == "simulator");
        }

        await using var app = await BuildAsync("--Simulator:Enabled=true", "--Simulator:EventsPerSecond=5");
        var simulator = Model(app).Resources.Single(r => r.Name == "simulator");
        Assert.Contains(simulator.Annotations.OfType<WaitAnnotation>(), wait => wait.Resource.Name == "api");
        var api = Endpoint(app, "api", "http");
        api.AllocatedEndpoint = new AllocatedEndpoint(api, "localhost", 5000);

        var env = await EnvironmentAsync(app, simulator);
        Assert.Equal("http://localhost:5000", env["services__api__http__0"]);
        Assert.Equal("5", env["Simulator__EventsPerSecond"]);
        // No more than a game service needs.
        Assert.Equal("events:read events:write", await TokenScopesAsync(env));
    }

    [Fact]
    public async Task The_explorer_runs_on_port_8084_after_the_api_with_an_operator_token()
    {
        await using var app = await BuildAsync();
        var explorer = Model(app).Resources.Single(r => r.Name == "explorer");
        Assert.Contains(explorer.Annotations.OfType<WaitAnnotation>(), wait => wait.Resource.Name == "api");
        var own = Endpoint(app, "explorer", "http");
        Assert.Equal(8084, own.Port);
        // What the orchestrator does at start (the environment waits for both addresses).
        own.AllocatedEndpoint = new AllocatedEndpoint(own, "localhost", 8084, targetPortExpression: "8084");
        var api = Endpoint(app, "api", "http");
        api.AllocatedEndpoint = new AllocatedEndpoint(api, "localhost", 5000);

        var env = await EnvironmentAsync(app, explorer);
        Assert.Equal("http://localhost:5000", env["services__api__http__0"]);
        // It reads and acts (retries, replays); it never appends.
        Assert.Equal("events:read events:admin", await TokenScopesAsync(env));
    }

    private static async Task<Dictionary<string, string>> EnvironmentAsync(DistributedApplication app, IResource resource)
    {
        var configuration = await ExecutionConfigurationBuilder.Create(resource).WithEnvironmentVariablesConfig()
            .BuildAsync(app.Services.GetRequiredService<DistributedApplicationExecutionContext>(), NullLogger.Instance, CancellationToken.None);
        Assert.Null(configuration.Exception);
        return configuration.EnvironmentVariables.ToDictionary();
    }

    /// <summary>The scopes of the token the AppHost gave, after the API's own validation (signed with its secret).</summary>
    private static async Task<string> TokenScopesAsync(Dictionary<string, string> env)
    {
        var token = await new JsonWebTokenHandler().ValidateTokenAsync(env["EventSourcing__Client__Token"], AuthenticationSetup.ValidationParameters(ApiClient.Jwt));
        Assert.True(token.IsValid, token.Exception?.Message);
        return (string)token.Claims["scope"];
    }

    [Fact]
    public async Task The_api_offers_the_dashboard_two_admin_commands()
    {
        await using var app = await BuildAsync();
        var api = Model(app).Resources.Single(r => r.Name == "api");
        var commands = api.Annotations.OfType<ResourceCommandAnnotation>().ToDictionary(c => c.Name, c => c.DisplayName);
        Assert.Equal("Replay all read models", commands[ApiCommands.ReplayAll]);
        Assert.Equal("Retry dead-lettered events", commands[ApiCommands.RetryDeadLettered]);
    }

    [Fact]
    public async Task Each_service_runs_as_many_replicas_as_configured_behind_its_port()
    {
        await using (var single = await BuildAsync())
        {
            // One instance listens on the well-known port itself: no proxy hop per request.
            Assert.Equal((1, 1), (Replicas(single, "api"), Replicas(single, "processor")));
            Assert.False(Endpoint(single, "api", "http").IsProxied);
            Assert.Equal(InfrastructureSettings.ApiPort, Endpoint(single, "api", "http").TargetPort);
        }

        await using var scaled = await BuildAsync("--Api:Replicas=2", "--Processor:Replicas=3");
        Assert.Equal((2, 3), (Replicas(scaled, "api"), Replicas(scaled, "processor")));
        // Several share the port through the orchestrator's proxy, each on a port of its own.
        Assert.True(Endpoint(scaled, "api", "http").IsProxied);
        Assert.Equal(InfrastructureSettings.ApiPort, Endpoint(scaled, "api", "http").Port);
        Assert.Null(Endpoint(scaled, "api", "http").TargetPort);
    }

    [Theory]
    [InlineData("--Api:Replicas=0")]
    [InlineData("--Processor:Replicas=many")]
    [InlineData("--Api:Replicas=33")]
    public async Task A_replica_count_out_of_range_is_refused_with_a_clear_message(string setting)
    {
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => BuildAsync(setting));
        Assert.Contains("must be a whole number from 1 to 32", refused.ToString(), StringComparison.Ordinal);
    }

    /// <summary>The containers-mode graph as a laptop with Docker gets it (Development, the AppHost's user secrets).</summary>
    private static async Task<DistributedApplication> BuildAsync(params string[] args)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.EventSourcing_AppHost>(
            ["--Infrastructure:Mode=containers", "--environment=Development", .. args],
            (options, _) => options.DisableDashboard = true);
        // A host that never started sometimes waits out the whole shutdown timeout when disposed (30 s by default).
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
        return await builder.BuildAsync();
    }

    private static DistributedApplicationModel Model(DistributedApplication app) => app.Services.GetRequiredService<DistributedApplicationModel>();

    private static EndpointAnnotation Endpoint(DistributedApplication app, string resource, string name) =>
        Model(app).Resources.Single(r => r.Name == resource).Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == name);

    private static int Replicas(DistributedApplication app, string resource) =>
        Model(app).Resources.Single(r => r.Name == resource).Annotations.OfType<ReplicaAnnotation>().SingleOrDefault()?.Replicas ?? 1;

    private static async Task<string?> Password(DistributedApplication app) =>
        await Model(app).Resources.OfType<PostgresServerResource>().Single().PasswordParameter.GetValueAsync(CancellationToken.None);
}
