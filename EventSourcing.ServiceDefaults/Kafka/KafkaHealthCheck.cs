using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Ready when a broker answers a metadata request. Uses only Metadata: the dev broker does not implement the
/// group-listing admin calls.
/// </summary>
public sealed class KafkaHealthCheck(AdminClientConfig config) : IHealthCheck, IDisposable
{
    private readonly Lazy<IAdminClient> _admin = new(() => new AdminClientBuilder(config).Build());

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // GetMetadata blocks; keep it off the request thread.
            var metadata = await Task.Run(() => _admin.Value.GetMetadata(TimeSpan.FromSeconds(3)), cancellationToken);
            return metadata.Brokers.Count > 0
                ? HealthCheckResult.Healthy($"{metadata.Brokers.Count} broker(s), {metadata.Topics.Count} topic(s)")
                : HealthCheckResult.Unhealthy("no brokers in metadata");
        }
        catch (KafkaException ex)
        {
            return HealthCheckResult.Unhealthy(ex.Error.Reason, ex);
        }
    }

    public void Dispose()
    {
        if (_admin.IsValueCreated)
        {
            _admin.Value.Dispose();
        }
    }
}
