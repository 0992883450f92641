# Pub/Sub topics from the topic registry (shared/topics.json), each with its dead-letter topic.
#
# The registry is decoded by the caller and passed in whole, so no topic name is written in
# Terraform: adding a topic to shared/topics.json adds it here, to the code and to the local bus.

locals {
  topics = var.registry.topics

  # <topic><dead_letter_suffix>, the same names shared/topics.py gives Topic.dead_letter
  dead_letters = {
    for name in keys(local.topics) : name => "${name}${var.registry.dead_letter_suffix}"
  }
}

resource "google_pubsub_topic" "topic" {
  for_each = local.topics

  project = var.project_id
  name    = each.key
  labels  = var.labels
}

resource "google_pubsub_topic" "dead_letter" {
  for_each = local.dead_letters

  project = var.project_id
  name    = each.value
  labels  = var.labels
}

# A topic without a subscription drops what is published to it: this pull subscription keeps
# every dead letter for inspection and replay (7 days, the longest Pub/Sub keeps a message).
resource "google_pubsub_subscription" "dead_letter" {
  for_each = google_pubsub_topic.dead_letter

  project                    = var.project_id
  name                       = each.value.name
  topic                      = each.value.id
  ack_deadline_seconds       = 60
  message_retention_duration = var.dead_letter_retention
  labels                     = var.labels

  expiration_policy {
    ttl = "" # never expires, however long it goes unread
  }
}

# Pub/Sub's own service agent moves a message to the dead-letter topic, so it publishes there.
resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  for_each = google_pubsub_topic.dead_letter

  project = var.project_id
  topic   = each.value.name
  role    = "roles/pubsub.publisher"
  member  = var.pubsub_service_agent
}
