using System.Text;

namespace EventSourcing.KafkaDevBroker;

/// <summary>
/// One librdkafka mock cluster: a real Kafka wire-protocol broker living inside this process.
/// Topics are created here because the mock does not implement the CreateTopics admin API.
/// </summary>
internal sealed class MockCluster : IDisposable
{
    private readonly IntPtr _handle;
    private readonly IntPtr _cluster;

    public MockCluster(int brokerCount)
    {
        var errstr = new byte[512];
        var conf = LibRdKafka.rd_kafka_conf_new();
        // Keep the hosting handle quiet: it never connects anywhere, it only owns the mock cluster.
        LibRdKafka.rd_kafka_conf_set(conf, "log_level", "3", errstr, (nuint)errstr.Length);
        _handle = LibRdKafka.rd_kafka_new(LibRdKafka.ProducerType, conf, errstr, (nuint)errstr.Length);
        if (_handle == IntPtr.Zero)
        {
            throw new InvalidOperationException("rd_kafka_new failed: " + Encoding.UTF8.GetString(errstr).TrimEnd('\0'));
        }

        _cluster = LibRdKafka.rd_kafka_mock_cluster_new(_handle, brokerCount);
        if (_cluster == IntPtr.Zero)
        {
            LibRdKafka.rd_kafka_destroy(_handle);
            throw new InvalidOperationException("rd_kafka_mock_cluster_new failed");
        }

        // Without a controller every admin/metadata controller lookup waits 10 s and times out.
        LibRdKafka.rd_kafka_mock_set_controller_id(_cluster, 1);
        // The 3 s default delays every consumer group's first join.
        LibRdKafka.rd_kafka_mock_group_initial_rebalance_delay_ms(_cluster, 100);
        Bootstraps = LibRdKafka.Utf8(LibRdKafka.rd_kafka_mock_cluster_bootstraps(_cluster)) ?? "";
    }

    public string Bootstraps { get; }

    public static string LibraryVersion => LibRdKafka.Utf8(LibRdKafka.rd_kafka_version_str()) ?? "?";

    public void CreateTopic(string topic, int partitions)
    {
        var err = LibRdKafka.rd_kafka_mock_topic_create(_cluster, topic, partitions, 1);
        if (err != 0)
        {
            throw new InvalidOperationException($"creating {topic}: {LibRdKafka.Utf8(LibRdKafka.rd_kafka_err2str(err))}");
        }
    }

    public void Dispose()
    {
        LibRdKafka.rd_kafka_mock_cluster_destroy(_cluster);
        LibRdKafka.rd_kafka_destroy(_handle);
    }
}
