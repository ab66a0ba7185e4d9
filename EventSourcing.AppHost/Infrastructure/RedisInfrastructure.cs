using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventSourcing.AppHost.Infrastructure;

public static class RedisInfrastructure
{
    public const string Name = "redis";

    /// <summary>
    /// Redis is a cache: no volume in any mode. Kept on disk, it could outlive a reset PostgreSQL and hold entries newer
    /// than the store, which the version guard would then keep in place of the correct, older ones.
    /// </summary>
    public static Dependency AddRedisCache(this IDistributedApplicationBuilder builder, InfrastructureSettings settings)
    {
        switch (settings.Mode)
        {
            case InfrastructureMode.Containers:
                var container = builder.AddRedis(Name);
                return new Dependency(container, container.AsResource());

            case InfrastructureMode.External:
                var external = builder.AddConnectionString(Name);
                return new Dependency(external, external.AsResource());

            default:
                return builder.AddLocalRedis();
        }
    }

    /// <summary>The machine's redis-server as an executable resource: a cache, so nothing is persisted.</summary>
    private static Dependency AddLocalRedis(this IDistributedApplicationBuilder builder)
    {
        var server = builder.AddExecutable("redis-server", "redis-server", builder.AppHostDirectory)
            .WithEndpoint(name: "tcp", scheme: "tcp", isProxied: false)
            .ExcludeFromManifest();
        var endpoint = server.GetEndpoint("tcp");
        server.WithArgs(context =>
        {
            context.Args.Add("--port");
            context.Args.Add(endpoint.Property(EndpointProperty.TargetPort));
            context.Args.Add("--bind");
            context.Args.Add("127.0.0.1");
            context.Args.Add("--save");
            context.Args.Add("");
            context.Args.Add("--appendonly");
            context.Args.Add("no");
        });

        var connectionString = builder.AddConnectionString(Name, ReferenceExpression.Create(
            $"127.0.0.1:{endpoint.Property(EndpointProperty.Port)}"));

        var healthCheck = $"{server.Resource.Name}-ping";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, async cancellationToken =>
        {
            try
            {
                var port = int.Parse(await endpoint.Property(EndpointProperty.Port).GetValueAsync(cancellationToken) ?? "0",
                    System.Globalization.CultureInfo.InvariantCulture);
                return await PingAsync(port, cancellationToken)
                    ? HealthCheckResult.Healthy()
                    : HealthCheckResult.Unhealthy("no PONG");
            }
            catch (SocketException ex)
            {
                return HealthCheckResult.Unhealthy(ex.Message);
            }
        });
        server.WithHealthCheck(healthCheck);
        return new Dependency(connectionString, server.AsResource());
    }

    private static async Task<bool> PingAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        await client.ConnectAsync("127.0.0.1", port, timeout.Token);
        await using var stream = client.GetStream();
        await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
        var buffer = new byte[16];
        var read = await stream.ReadAsync(buffer, timeout.Token);
        return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
    }
}
