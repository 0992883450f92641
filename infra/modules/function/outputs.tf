output "uri" {
  description = "HTTPS URL of the function."
  value       = google_cloudfunctions2_function.this.service_config[0].uri
}

output "service_account_email" {
  description = "The function's own service account."
  value       = google_service_account.runtime.email
}

output "subscriptions" {
  description = "Topic name => push subscription that triggers this function."
  value       = { for topic, sub in google_pubsub_subscription.trigger : topic => sub.name }
}
