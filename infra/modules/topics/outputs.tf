output "topic_ids" {
  description = "Topic name => topic id (projects/<project>/topics/<name>)."
  value       = { for name, topic in google_pubsub_topic.topic : name => topic.id }
}

output "dead_letter_topic_ids" {
  description = "Topic name => id of its dead-letter topic."
  value       = { for name, topic in google_pubsub_topic.dead_letter : name => topic.id }
}

output "dead_letter_subscriptions" {
  description = "Topic name => the pull subscription that keeps its dead letters."
  value       = { for name, sub in google_pubsub_subscription.dead_letter : name => sub.name }
}
