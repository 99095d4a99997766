using System.CommandLine;
using Feedback.Analytics.Kafka;

namespace Feedback.Cli.Commands;

/// <summary><c>feedback kafka-mock</c>: librdkafka's mock Kafka cluster on 127.0.0.1, for local development.</summary>
public static class KafkaMockCommand
{
    public static Command Create()
    {
        var brokers = new Option<int>("--brokers") { Description = "Number of mock brokers", DefaultValueFactory = _ => 1 };
        var partitions = new Option<int>("--partitions") { Description = "Partitions of the events topic", DefaultValueFactory = _ => 4 };
        var command = new Command("kafka-mock", "Start librdkafka's mock Kafka cluster on 127.0.0.1 for local development") { brokers, partitions };
        command.SetAction(async (result, ct) =>
        {
            var kafka = new KafkaOptions();
            using var cluster = MockKafkaCluster.Start(result.GetValue(brokers));
            cluster.CreateTopic(kafka.Topic, result.GetValue(partitions));
            cluster.CreateTopic(kafka.DeadLetterTopic, 1);
            cluster.CreateTopic(kafka.MiningTopic, kafka.MiningShards); // the mock has no CreateTopics; workers share the mining by its partitions
            Console.WriteLine($"Mock Kafka cluster running. bootstrap.servers={cluster.BootstrapServers}");
            Console.WriteLine($"    export Feedback__Kafka__BootstrapServers={cluster.BootstrapServers}");
            Console.WriteLine("Ctrl+C to stop.");
            await Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            return 0;
        });
        return command;
    }
}
