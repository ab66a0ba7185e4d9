namespace EventSourcing.AppHost.Infrastructure;

/// <summary>
/// A backing service as the application services see it: a connection string to reference and a resource to wait
/// for (the server itself, whose health checks say when it is usable). Both are the same resource in some modes.
/// </summary>
public sealed record Dependency(IResourceBuilder<IResourceWithConnectionString> ConnectionString, IResourceBuilder<IResource> Server);

public static class DependencyExtensions
{
    public static IResourceBuilder<T> WithDependency<T>(this IResourceBuilder<T> builder, Dependency dependency)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport =>
        builder.WithReference(dependency.ConnectionString).WaitFor(dependency.Server);

    /// <summary>The same builder, typed as a plain resource (so every mode's server fits one record).</summary>
    public static IResourceBuilder<IResource> AsResource<T>(this IResourceBuilder<T> builder)
        where T : IResource =>
        builder.ApplicationBuilder.CreateResourceBuilder<IResource>(builder.Resource);
}
