using System.Net;
using System.Net.Sockets;

namespace EventSourcing.KafkaDevBroker;

/// <summary>
/// The mock brokers listen on ephemeral ports. Clients need a well-known bootstrap address (localhost:9092),
/// so this forwards that port to the first broker; metadata then points clients at the brokers directly.
/// </summary>
internal sealed class TcpForwarder(IPEndPoint listenOn, string targetHost, int targetPort)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var listener = new TcpListener(listenOn);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(cancellationToken);
                _ = PipeAsync(client, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task PipeAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                client.NoDelay = true;
                upstream.NoDelay = true;
                await upstream.ConnectAsync(targetHost, targetPort, cancellationToken);
                await using var a = client.GetStream();
                await using var b = upstream.GetStream();
                using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var first = await Task.WhenAny(a.CopyToAsync(b, done.Token), b.CopyToAsync(a, done.Token));
                await done.CancelAsync();
                await first;
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
            {
                // A peer hung up: nothing to do but close both ends.
            }
        }
    }
}
