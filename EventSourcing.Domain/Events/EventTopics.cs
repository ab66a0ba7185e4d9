namespace EventSourcing.Domain.Events;

/// <summary>The Kafka topics of the contract: <c>events.{aggregateType}</c> (key = aggregate id) and the dead letters.</summary>
public static class EventTopics
{
    public const string DeadLetter = "events.dlq";

    /// <summary>The processors' consumer group unless CONSUMER_GROUP names another (the seed's setting).</summary>
    public const string DefaultConsumerGroup = "event-sourcing-aggregates";

    /// <summary>Every events topic, new aggregate types included (librdkafka reads a leading ^ as a regular expression).</summary>
    public const string SubscriptionPattern = "^events\\..*";

    /// <summary>What every events topic's name starts with (the dead-letter topic's too).</summary>
    public const string Prefix = "events.";

    public static string For(string aggregateType) => Prefix + aggregateType;
}
