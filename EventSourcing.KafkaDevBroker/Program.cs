using System.Net;
using System.Runtime.InteropServices;
using EventSourcing.KafkaDevBroker;

// Starts librdkafka's mock cluster, pre-creates the service's topics and forwards a fixed bootstrap port to it.
// Options come from the command line or environment: --port (KAFKA_DEV_BROKER_PORT, default 9092),
// --partitions (KAFKA_DEV_BROKER_PARTITIONS, default 4), --brokers (KAFKA_DEV_BROKER_COUNT, default 1).
var options = BrokerOptions.Parse(args);

using var stop = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; stop.Cancel(); });
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => { ctx.Cancel = true; stop.Cancel(); });

using var cluster = new MockCluster(options.Brokers);
foreach (var topic in BrokerOptions.Topics)
{
    cluster.CreateTopic(topic, options.Partitions);
}

var first = cluster.Bootstraps.Split(',')[0];
var separator = first.LastIndexOf(':');
var forwarder = new TcpForwarder(new IPEndPoint(IPAddress.Loopback, options.Port), first[..separator], int.Parse(first[(separator + 1)..], System.Globalization.CultureInfo.InvariantCulture));
var forwarding = forwarder.RunAsync(stop.Token);

Console.WriteLine($"Kafka dev broker (librdkafka {MockCluster.LibraryVersion} mock cluster) ready: bootstrap localhost:{options.Port} -> {cluster.Bootstraps}");
Console.WriteLine($"Topics ({options.Partitions} partitions each): {string.Join(", ", BrokerOptions.Topics)}");

try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

await forwarding;
Console.WriteLine("Kafka dev broker stopped.");
