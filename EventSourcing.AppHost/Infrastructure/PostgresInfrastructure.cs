using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace EventSourcing.AppHost.Infrastructure;

public static class PostgresInfrastructure
{
    public const string DatabaseName = "eventstore";

    /// <summary>
    /// PostgreSQL with the <c>eventstore</c> database (the migrations create it when missing). A deployment always
    /// gets it as a connection string the deployer gives (a managed PostgreSQL): a database container's volume becomes
    /// a network file share on container platforms, where PostgreSQL cannot run, and the event store must not lose data.
    /// </summary>
    public static Dependency AddEventStoreDatabase(this IDistributedApplicationBuilder builder, InfrastructureSettings settings)
    {
        switch (settings.Mode)
        {
            case InfrastructureMode.Containers when !settings.Publishing:
                // The generated password is kept in the AppHost's user secrets (UserSecretsId): the data volume keeps
                // the first password, so every later run must use the same one.
                var server = builder.AddPostgres("postgres").WithDataVolume();
                var database = server.AddDatabase(DatabaseName);
                return new Dependency(database, database);

            case InfrastructureMode.External or InfrastructureMode.Containers:
                var external = builder.AddConnectionString(DatabaseName);
                return new Dependency(external, external);

            default:
                return builder.AddLocalPostgres(settings);
        }
    }

    /// <summary>
    /// The machine's PostgreSQL server as an executable resource. The script initialises the data folder on first run
    /// and drops root privileges (PostgreSQL refuses to run as root).
    /// </summary>
    private static Dependency AddLocalPostgres(this IDistributedApplicationBuilder builder, InfrastructureSettings settings)
    {
        var script = Path.Combine(builder.AppHostDirectory, "Infrastructure", "run-postgres.sh");
        var server = builder.AddExecutable("postgres", "bash", builder.AppHostDirectory)
            .WithEndpoint(name: "tcp", scheme: "tcp", isProxied: false)
            .ExcludeFromManifest();
        var endpoint = server.GetEndpoint("tcp");
        server.WithArgs(context =>
        {
            context.Args.Add(script);
            context.Args.Add(Path.Combine(settings.DataDirectory, "postgres"));
            context.Args.Add(endpoint.Property(EndpointProperty.TargetPort));
        });

        var connectionString = builder.AddConnectionString(DatabaseName, ReferenceExpression.Create(
            $"Host=127.0.0.1;Port={endpoint.Property(EndpointProperty.Port)};Username=postgres;Database={DatabaseName}"));

        var healthCheck = $"{server.Resource.Name}-accepts-connections";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, async cancellationToken =>
        {
            // The database itself may not exist yet: ask the server's maintenance database.
            var csb = new NpgsqlConnectionStringBuilder(await ((IResourceWithConnectionString)connectionString.Resource).GetConnectionStringAsync(cancellationToken))
            {
                Database = "postgres",
                Timeout = 3,
                Pooling = false,
            };
            try
            {
                await using var connection = new NpgsqlConnection(csb.ConnectionString);
                await connection.OpenAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (NpgsqlException ex)
            {
                return HealthCheckResult.Unhealthy(ex.Message);
            }
        });
        server.WithHealthCheck(healthCheck);
        return new Dependency(connectionString, server.AsResource());
    }
}
