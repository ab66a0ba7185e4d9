using System.Reflection;
using System.Runtime.InteropServices;

namespace EventSourcing.KafkaDevBroker;

/// <summary>
/// The few librdkafka entry points needed to run its protocol-level mock cluster (rdkafka_mock.h).
/// </summary>
internal static partial class LibRdKafka
{
    private const string Library = "librdkafka";

    // The package's generic build needs libsasl2.so.3, which Debian does not ship; the centos8 build loads.
    private static readonly string[] Candidates = ["librdkafka.so", "centos8-librdkafka.so", "alpine-librdkafka.so"];

    static LibRdKafka() => NativeLibrary.SetDllImportResolver(typeof(LibRdKafka).Assembly, Resolve);

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Library)
        {
            return IntPtr.Zero;
        }

        var nativeDir = Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native");
        var fallbackDir = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");
        foreach (var dir in new[] { nativeDir, fallbackDir, AppContext.BaseDirectory })
        {
            foreach (var file in Candidates)
            {
                if (NativeLibrary.TryLoad(Path.Combine(dir, file), out var handle))
                {
                    return handle;
                }
            }
        }

        throw new DllNotFoundException($"No loadable librdkafka under {nativeDir} (tried {string.Join(", ", Candidates)}).");
    }

    public const int ProducerType = 0;

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr rd_kafka_conf_new();

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rd_kafka_conf_set(IntPtr conf, string name, string value, byte[] errstr, nuint errstrSize);

    [LibraryImport(Library)]
    public static partial IntPtr rd_kafka_new(int type, IntPtr conf, byte[] errstr, nuint errstrSize);

    [LibraryImport(Library)]
    public static partial void rd_kafka_destroy(IntPtr rk);

    [LibraryImport(Library)]
    public static partial IntPtr rd_kafka_version_str();

    [LibraryImport(Library)]
    public static partial IntPtr rd_kafka_mock_cluster_new(IntPtr rk, int brokerCount);

    [LibraryImport(Library)]
    public static partial void rd_kafka_mock_cluster_destroy(IntPtr mcluster);

    [LibraryImport(Library)]
    public static partial IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr mcluster);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rd_kafka_mock_topic_create(IntPtr mcluster, string topic, int partitionCount, int replicationFactor);

    [LibraryImport(Library)]
    public static partial void rd_kafka_mock_set_controller_id(IntPtr mcluster, int brokerId);

    [LibraryImport(Library)]
    public static partial void rd_kafka_mock_group_initial_rebalance_delay_ms(IntPtr mcluster, int delayMs);

    [LibraryImport(Library)]
    public static partial IntPtr rd_kafka_err2str(int err);

    public static string? Utf8(IntPtr ptr) => Marshal.PtrToStringUTF8(ptr);
}
