output "api_url" {
  description = "Base URL of the API function (the web app's API_BASE; routes under /api)."
  value       = module.function["api"].uri
}

output "telegram_webhook_url" {
  description = "URL Telegram posts updates to (deploy.sh registers it with setWebhook)."
  value       = module.function["telegram_webhook"].uri
}

output "data_bucket" {
  description = "Bucket of prompts (prompts/) and charts (charts/)."
  value       = google_storage_bucket.data.name
}

output "function_service_accounts" {
  description = "Function => its own service account."
  value       = { for name, fn in module.function : name => fn.service_account_email }
}

output "trigger_subscriptions" {
  description = "Function => topic => push subscription."
  value       = { for name, fn in module.function : name => fn.subscriptions }
}

output "dead_letter_subscriptions" {
  description = "Topic => pull subscription holding its dead letters (inspect with gcloud pubsub subscriptions pull)."
  value       = module.topics.dead_letter_subscriptions
}
