# deploy.sh sets project_id, region, source_archives, secrets_with_value, scan_topic and
# scan_message (in .build/deploy.tfvars.json); the rest have production defaults.

variable "project_id" {
  description = "Google Cloud project to deploy into."
  type        = string
}

variable "region" {
  description = "Region of the functions, buckets, scheduler and image repository."
  type        = string
}

variable "firestore_location" {
  description = "Firestore location (a region, or a multi-region such as eur3 / nam5); null means var.region. Cannot change once the database exists."
  type        = string
  default     = null
}

variable "source_archives" {
  description = "Function name => path of the source zip deploy.sh built for it."
  type        = map(string)
}

variable "secrets_with_value" {
  description = "Secrets (from secrets.json) that have an enabled version; only these are mounted into functions."
  type        = set(string)
  default     = []
}

variable "scan_topic" {
  description = "Registry topic the scheduled market scan is published to (deploy.sh reads it from shared.topics.MARKET_SCAN)."
  type        = string
}

variable "scan_message" {
  description = "JSON of the MarketScanRequested message the scheduler publishes (deploy.sh builds and validates it with shared.events)."
  type        = string

  validation {
    condition     = can(jsondecode(var.scan_message))
    error_message = "scan_message must be JSON."
  }
}

variable "scan_schedule" {
  description = "Cron schedule of the market scan."
  type        = string
  default     = "*/30 * * * *"
}

variable "scan_time_zone" {
  description = "Time zone of scan_schedule."
  type        = string
  default     = "Etc/UTC"
}

variable "market_sources" {
  description = "Market data sources in fallback order (CHARTGENIUS_MARKET_SOURCES); null keeps the code's production chain."
  type        = list(string)
  default     = null
}

variable "cors_origins" {
  description = "Origins the API answers cross-origin requests from, besides the Hosting site's own (https://<web_site_id>.web.app and .firebaseapp.com), e.g. a custom domain."
  type        = list(string)
  default     = []
}

variable "telegram_bot_username" {
  description = "The bot's username, without @ (CHARTGENIUS_TELEGRAM_BOT_USERNAME)."
  type        = string
  default     = "ChartGeniusBot"
}

variable "min_instances" {
  description = "Warm instances per function; the HTTP functions keep one so that a user's first request does not wait for a cold start."
  type        = map(number)
  default = {
    api              = 1
    telegram_webhook = 1
  }
}

variable "chart_retention_days" {
  description = "Days a chart image is kept (charts can be re-rendered from the stored analysis)."
  type        = number
  default     = 90
}

variable "log_level" {
  description = "LOG_LEVEL of every function."
  type        = string
  default     = "INFO"
}

variable "web_site_id" {
  description = "Firebase Hosting site of the web app (a globally unique DNS label; the app is at https://<id>.web.app); null means <project_id>-web."
  type        = string
  default     = null

  validation {
    condition     = var.web_site_id == null || can(regex("^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$", var.web_site_id))
    error_message = "web_site_id must be a DNS label: lower-case letters, digits and hyphens, at most 63 characters."
  }
}

variable "llm_providers" {
  description = "The analyzer's LLM chain in order (gemini, openai, huggingface); rule_based always ends it. openai/huggingface need their API key secrets."
  type        = list(string)
  default     = ["gemini", "rule_based"]

  validation {
    condition     = alltrue([for p in var.llm_providers : contains(["gemini", "openai", "huggingface", "rule_based"], p)])
    error_message = "llm_providers may name gemini, openai, huggingface and rule_based only."
  }
}

variable "gemini_location" {
  description = "Vertex AI location of Gemini (default: the region; \"global\" where a model is not regional)."
  type        = string
  default     = null
}

variable "alert_email" {
  description = "Where the alert policies send their notifications (null: policies without a channel, seen in the console)."
  type        = string
  default     = null
}

variable "alert_errors_per_5min" {
  description = "The error-rate alert fires above this many ERROR log lines in 5 minutes."
  type        = number
  default     = 10
}

variable "llm_daily_budget_usd" {
  description = "The LLM spend alert fires when the last 24 hours cost more than this (USD)."
  type        = number
  default     = 20
}
