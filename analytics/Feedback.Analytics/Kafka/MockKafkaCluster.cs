using System.Runtime.InteropServices;
using System.Text;

namespace Feedback.Analytics.Kafka;

/// <summary>
/// librdkafka's built-in mock cluster: real Kafka protocol on 127.0.0.1 (idempotent producer, consumer groups,
/// commits), used by the tests and by <c>feedback kafka-mock</c> for local development. Bound by function
/// pointer to the same librdkafka the Kafka clients use (<see cref="KafkaNative"/>).
/// </summary>
public sealed unsafe class MockKafkaCluster : IDisposable
{
    private readonly IntPtr client; // rd_kafka_t* that owns the cluster
    private IntPtr cluster;

    private MockKafkaCluster(IntPtr client, IntPtr cluster, int brokers)
    {
        this.client = client;
        this.cluster = cluster;
        Brokers = brokers;
        BootstrapServers = Marshal.PtrToStringUTF8(Native.Bootstraps(cluster))!;
    }

    /// <summary>host:port list of the brokers, for <c>bootstrap.servers</c>.</summary>
    public string BootstrapServers { get; }

    public int Brokers { get; }

    /// <summary>Starts a cluster with <paramref name="brokers"/> brokers (ids 1..n) on 127.0.0.1.</summary>
    public static MockKafkaCluster Start(int brokers = 1)
    {
        KafkaNative.EnsureLoaded();
        var conf = Native.ConfNew();
        var error = new byte[512];
        IntPtr client;
        fixed (byte* e = error) client = Native.New(0 /* RD_KAFKA_PRODUCER */, conf, e, (nuint)error.Length);
        if (client == IntPtr.Zero) throw new InvalidOperationException("rd_kafka_new failed: " + Encoding.UTF8.GetString(error).TrimEnd('\0'));
        var cluster = Native.ClusterNew(client, brokers);
        if (cluster == IntPtr.Zero)
        {
            Native.Destroy(client);
            throw new InvalidOperationException("rd_kafka_mock_cluster_new failed");
        }
        Native.InitialRebalanceDelay(cluster, 0); // groups form at once: no 3 s wait per test
        return new MockKafkaCluster(client, cluster, brokers);
    }

    public void CreateTopic(string topic, int partitions, int replicationFactor = 1) =>
        Check(WithUtf8(topic, t => Native.TopicCreate(cluster, t, partitions, replicationFactor)), "rd_kafka_mock_topic_create");

    /// <summary>Takes a broker down: its connections close and new ones are refused until <see cref="SetUp"/>.</summary>
    public void SetDown(int brokerId) => Check(Native.BrokerSetDown(cluster, brokerId), "rd_kafka_mock_broker_set_down");

    public void SetUp(int brokerId) => Check(Native.BrokerSetUp(cluster, brokerId), "rd_kafka_mock_broker_set_up");

    public void SetAllDown()
    {
        for (var id = 1; id <= Brokers; id++) SetDown(id);
    }

    public void SetAllUp()
    {
        for (var id = 1; id <= Brokers; id++) SetUp(id);
    }

    public void Dispose()
    {
        if (cluster == IntPtr.Zero) return;
        Native.ClusterDestroy(cluster);
        Native.Destroy(client);
        cluster = IntPtr.Zero;
    }

    private static void Check(int error, string call)
    {
        if (error != 0) throw new InvalidOperationException($"{call} failed with librdkafka error {error}");
    }

    private static int WithUtf8(string text, Func<IntPtr, int> call)
    {
        var native = Marshal.StringToCoTaskMemUTF8(text);
        try
        {
            return call(native);
        }
        finally
        {
            Marshal.FreeCoTaskMem(native);
        }
    }

    private static class Native
    {
        private static readonly IntPtr Handle = NativeLibrary.Load(KafkaNative.LibraryPath);

        private static IntPtr Fn(string name) => NativeLibrary.GetExport(Handle, name);

        public static IntPtr ConfNew() => ((delegate* unmanaged<IntPtr>)Fn("rd_kafka_conf_new"))();

        public static IntPtr New(int type, IntPtr conf, byte* error, nuint errorSize) =>
            ((delegate* unmanaged<int, IntPtr, byte*, nuint, IntPtr>)Fn("rd_kafka_new"))(type, conf, error, errorSize);

        public static void Destroy(IntPtr client) => ((delegate* unmanaged<IntPtr, void>)Fn("rd_kafka_destroy"))(client);

        public static IntPtr ClusterNew(IntPtr client, int brokers) =>
            ((delegate* unmanaged<IntPtr, int, IntPtr>)Fn("rd_kafka_mock_cluster_new"))(client, brokers);

        public static void ClusterDestroy(IntPtr cluster) => ((delegate* unmanaged<IntPtr, void>)Fn("rd_kafka_mock_cluster_destroy"))(cluster);

        public static IntPtr Bootstraps(IntPtr cluster) => ((delegate* unmanaged<IntPtr, IntPtr>)Fn("rd_kafka_mock_cluster_bootstraps"))(cluster);

        public static int TopicCreate(IntPtr cluster, IntPtr topic, int partitions, int replicationFactor) =>
            ((delegate* unmanaged<IntPtr, IntPtr, int, int, int>)Fn("rd_kafka_mock_topic_create"))(cluster, topic, partitions, replicationFactor);

        public static int BrokerSetDown(IntPtr cluster, int brokerId) =>
            ((delegate* unmanaged<IntPtr, int, int>)Fn("rd_kafka_mock_broker_set_down"))(cluster, brokerId);

        public static int BrokerSetUp(IntPtr cluster, int brokerId) =>
            ((delegate* unmanaged<IntPtr, int, int>)Fn("rd_kafka_mock_broker_set_up"))(cluster, brokerId);

        public static void InitialRebalanceDelay(IntPtr cluster, int delayMs) =>
            ((delegate* unmanaged<IntPtr, int, void>)Fn("rd_kafka_mock_group_initial_rebalance_delay_ms"))(cluster, delayMs);
    }
}
