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

output "web_url" {
  description = "The web app (Firebase Hosting)."
  value       = google_firebase_hosting_site.web.default_url
}

output "web_site_id" {
  description = "Firebase Hosting site deploy.sh releases web/dist to."
  value       = google_firebase_hosting_site.web.site_id
}

output "web_config" {
  description = "Firebase web config of the web app (scripts/web_hosting.py writes it into /config.js)."
  sensitive   = true # the browser API key is public by design, but keep it out of plan output
  value = {
    api_key     = data.google_firebase_web_app_config.web.api_key
    auth_domain = data.google_firebase_web_app_config.web.auth_domain
    project_id  = var.project_id
    app_id      = google_firebase_web_app.web.app_id
  }
}

output "telegram_bot_username" {
  description = "The bot whose Login Widget the web app shows (its runtime config)."
  value       = var.telegram_bot_username
}
