# The five functions. Each runs as its own service account; the comments say why it holds
# each role. Triggers come from the topic registry: a function subscribes to exactly the
# topics whose "subscribers" name it in shared/topics.json.

locals {
  common_environment = {
    CHARTGENIUS_ENV                   = "production"
    CHARTGENIUS_STORE                 = "firestore"
    CHARTGENIUS_BUS                   = "pubsub"
    CHARTGENIUS_BLOBS                 = "gcs"
    CHARTGENIUS_BUCKET                = google_storage_bucket.data.name
    CHARTGENIUS_DATA_DIR              = "/tmp/chartgenius" # the only writable place
    CHARTGENIUS_TELEGRAM_BOT_USERNAME = var.telegram_bot_username
    GOOGLE_CLOUD_PROJECT              = var.project_id
    GOOGLE_CLOUD_REGION               = var.region
    LOG_LEVEL                         = var.log_level
  }

  functions = {
    api = {
      description      = "ChartGenius REST API (/api, /health, /metrics): auth, roles, quotas; publishes analysis requests."
      public           = true
      memory           = "512Mi"
      cpu              = "1" # serves several requests at once
      concurrency      = 10
      timeout_seconds  = 60
      max_instances    = 20
      publishes        = true                       # analysis.requested; analysis.failed when it expires an overdue analysis
      data_bucket_role = "roles/storage.objectUser" # admins edit prompts; reads chart images
      sign_own_tokens  = true                       # Firebase custom tokens for the web's listeners
      project_roles = [
        "roles/datastore.user", # Firestore: users, analyses, quotas, notifications
      ]
      environment = {
        # the Hosting site's origins (web.tf) and any others, e.g. a custom domain
        CHARTGENIUS_CORS_ORIGINS = jsonencode(distinct(concat(local.web_origins, var.cors_origins)))
      }
    }

    telegram_webhook = {
      description = "ChartGenius Telegram webhook: checks the secret token, answers within a second, publishes work."
      public      = true
      # setWebhook asks Telegram for up to 40 parallel connections (shared/bot/set_webhook.py):
      # 5 instances x 8 requests each serve them all. A whole vCPU (256Mi came with ~0.17 vCPU,
      # too little to answer within a second on a cold start); 512Mi is the least 1 vCPU takes.
      memory           = "512Mi"
      cpu              = "1"
      concurrency      = 8
      timeout_seconds  = 30
      max_instances    = 5
      publishes        = true # analysis requests from bot commands
      data_bucket_role = null
      sign_own_tokens  = false
      project_roles = [
        "roles/datastore.user", # Firestore: update dedup, users, watchlists
      ]
      environment = {}
    }

    market_fetcher = {
      description     = "ChartGenius market fetcher: candles through the source chain for analyses and scans."
      public          = false
      memory          = "512Mi"
      cpu             = "1" # ccxt imports and parses quickly enough only with a whole vCPU
      concurrency     = 1
      timeout_seconds = 120
      # exchange request budgets are booked in Firestore (decision 0116): 20 instances
      # together keep each exchange's allowance
      max_instances = 20
      # market.fetched, analysis.failed, alert.triggered, digest.ready
      publishes        = true
      data_bucket_role = "roles/storage.objectUser" # writes alert chart images
      sign_own_tokens  = false
      project_roles = [
        "roles/datastore.user", # Firestore: analyses, candle cache, scan records
      ]
      environment = var.market_sources == null ? {} : {
        CHARTGENIUS_MARKET_SOURCES = jsonencode(var.market_sources)
      }
    }

    analyzer = {
      description      = "ChartGenius analyzer: indicators, prompt, LLM, validated result, chart."
      public           = false
      memory           = "1Gi"
      cpu              = "1"
      concurrency      = 1
      timeout_seconds  = 300 # an LLM answer can take a while
      max_instances    = 20
      publishes        = true                       # analysis.completed, analysis.failed
      data_bucket_role = "roles/storage.objectUser" # reads prompts, writes chart images
      sign_own_tokens  = false
      project_roles = [
        "roles/datastore.user",  # Firestore: analyses
        "roles/aiplatform.user", # Gemini on Vertex AI (the narrowest predefined role that can predict)
      ]
      # The provider chain (rule_based always ends it) and where Gemini runs: the functions'
      # region unless gemini_location says otherwise (a model missing there: "global").
      environment = {
        CHARTGENIUS_LLM_PROVIDERS   = jsonencode(var.llm_providers)
        CHARTGENIUS_GEMINI_LOCATION = coalesce(var.gemini_location, var.region)
      }
    }

    notifier = {
      description = "ChartGenius notifier: Telegram messages with the chart, notification documents for the web."
      public      = false
      memory      = "512Mi"
      cpu         = "1"
      # Telegram's per-bot send limits are booked in Firestore, shared by every instance
      # (docs/decisions/0113), so the notifier scales out; 5 × 20 concurrent sends is
      # plenty for 30 messages a second, and bounds the writes on a budget bucket.
      concurrency      = 20
      timeout_seconds  = 120 # a send may wait out Telegram's 429s (30 s budget per part)
      max_instances    = 5
      publishes        = false
      data_bucket_role = "roles/storage.objectViewer" # reads the chart image it sends
      sign_own_tokens  = false
      project_roles = [
        "roles/datastore.user", # Firestore: notifications, delivery records, users' chats
      ]
      environment = {}
    }
  }

  # Who may publish where. When a topic in shared/topics.json lists its "publishers", only
  # they may publish to it; until then every function that publishes may publish to every
  # registry topic (and no other topic).
  publishing_functions = [for name, spec in local.functions : name if spec.publishes]
}

module "function" {
  source   = "../../modules/function"
  for_each = local.functions

  project_id     = var.project_id
  project_number = data.google_project.this.number
  region         = var.region
  name           = each.key
  description    = each.value.description
  labels         = { function = replace(each.key, "_", "-") }

  source_archive             = var.source_archives[each.key]
  sources_bucket             = google_storage_bucket.sources.name
  builder_service_account_id = google_service_account.builder.id
  docker_repository          = google_artifact_registry_repository.functions.id

  public          = each.value.public
  memory          = each.value.memory
  cpu             = each.value.cpu
  concurrency     = each.value.concurrency
  timeout_seconds = each.value.timeout_seconds
  min_instances   = lookup(var.min_instances, each.key, 0)
  max_instances   = each.value.max_instances
  environment     = merge(local.common_environment, each.value.environment)

  project_roles    = each.value.project_roles
  data_bucket      = google_storage_bucket.data.name
  data_bucket_role = each.value.data_bucket_role
  sign_own_tokens  = each.value.sign_own_tokens

  secrets = {
    for name, secret in local.secrets : name => {
      id      = google_secret_manager_secret.secret[name].id
      mounted = contains(var.secrets_with_value, name)
    } if contains(secret.functions, each.key)
  }

  publish_topics = {
    for topic, spec in local.registry.topics : topic => module.topics.topic_ids[topic]
    if contains(try(spec.publishers, local.publishing_functions), each.key)
  }

  # The function's triggers: one push subscription per registry topic that lists it.
  triggers = {
    for topic, spec in local.registry.topics : topic => {
      topic_id             = module.topics.topic_ids[topic]
      dead_letter_topic_id = module.topics.dead_letter_topic_ids[topic]
    } if contains(spec.subscribers, each.key)
  }
  max_delivery_attempts      = local.registry.max_delivery_attempts
  push_service_account_email = google_service_account.push.email
  pubsub_service_agent       = local.pubsub_agent

  depends_on = [
    terraform_data.preflight,
    google_project_service.api,
    google_project_iam_member.builder_logs,
    google_storage_bucket_iam_member.builder_sources,
    google_artifact_registry_repository_iam_member.builder_images,
    google_service_account_iam_member.push_tokens,
  ]
}

# Every dead letter is also pushed to the notifier, whose entry point keeps it in Firestore
# (dead_letters/<function>:<event id>, with the subscriber's last recorded error) for the admin
# task monitor and its replay (shared/services/dead_letters.py). The pull subscription in
# modules/topics still keeps the raw copy. The path names the dead-letter topic, which is how
# the entry point tells a dead letter from a trigger.
resource "google_pubsub_subscription" "dead_letter_record" {
  for_each = module.topics.dead_letter_topic_ids

  project                    = var.project_id
  name                       = "${each.key}${local.registry.dead_letter_suffix}.notifier"
  topic                      = each.value
  ack_deadline_seconds       = 60
  message_retention_duration = "604800s"

  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }

  push_config {
    push_endpoint = format("%s/projects/%s/topics/%s%s", module.function["notifier"].uri,
    var.project_id, each.key, local.registry.dead_letter_suffix)

    oidc_token {
      service_account_email = google_service_account.push.email
      audience              = module.function["notifier"].uri
    }
  }

  expiration_policy {
    ttl = ""
  }
}
