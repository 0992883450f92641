# ChartGenius production: everything the five functions run on.
#
#   registry  shared/topics.json -> Pub/Sub topics, dead-letter topics, each function's triggers
#   secrets   secrets.json       -> Secret Manager secrets (no values) and who may read them
#   functions functions.tf       -> five Cloud Functions (2nd gen), one service account each
#
# deploy.sh builds the source archives and runs this; infra/README.md says how.

locals {
  # The one topic registry, also read by shared/topics.py (the code) and the local bus.
  registry = jsondecode(file("${path.module}/../../../shared/topics.json"))

  # Secret name => { value = generated | required | optional, functions = [...] }
  secrets = jsondecode(file("${path.module}/secrets.json")).secrets

  firestore_location = coalesce(var.firestore_location, var.region)
  # From the created identity, not a formatted name: every grant to the agent then waits for
  # it to exist (a new project has no Pub/Sub agent until Pub/Sub first needs it, and a grant
  # to an absent account fails with "Service account ... does not exist").
  pubsub_agent = "serviceAccount:${google_project_service_identity.pubsub.email}"

  missing_secrets = sort([
    for name, secret in local.secrets : name
    if secret.value != "optional" && !contains(var.secrets_with_value, name)
  ])
}

data "google_project" "this" {
  project_id = var.project_id
}

resource "google_project_service" "api" {
  for_each = toset([
    "aiplatform.googleapis.com",       # Gemini on Vertex AI (analyzer)
    "apikeys.googleapis.com",          # the Firebase web app's browser API key
    "artifactregistry.googleapis.com", # function images
    "cloudbuild.googleapis.com",       # builds the functions from source
    "cloudfunctions.googleapis.com",
    "cloudscheduler.googleapis.com",  # the market scan
    "firebase.googleapis.com",        # Firebase on the project, the web app (web.tf)
    "firebasehosting.googleapis.com", # the web app's site
    "firebaserules.googleapis.com",   # Firestore security rules
    "firestore.googleapis.com",
    "iam.googleapis.com",
    "iamcredentials.googleapis.com",  # signBlob for Firebase custom tokens
    "logging.googleapis.com",         # log-based metrics (monitoring.tf)
    "monitoring.googleapis.com",      # dashboard and alert policies (monitoring.tf)
    "identitytoolkit.googleapis.com", # Firebase Auth: the web signs in with custom tokens
    "securetoken.googleapis.com",     # Firebase Auth: refreshes the browser's ID tokens
    "pubsub.googleapis.com",
    "run.googleapis.com", # 2nd gen functions run on Cloud Run
    "secretmanager.googleapis.com",
    "storage.googleapis.com",
  ])

  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}

# Pub/Sub's service agent, created now rather than lazily: it publishes dead letters and mints
# the push subscriptions' OIDC tokens, so the grants below need it to exist.
resource "google_project_service_identity" "pubsub" {
  provider = google-beta

  project = var.project_id
  service = "pubsub.googleapis.com"

  depends_on = [google_project_service.api]
}

# Checked before anything is deployed: clear messages rather than a function that cannot start.
resource "terraform_data" "preflight" {
  input = {
    secrets_with_value = sort(tolist(var.secrets_with_value))
    scan_topic         = var.scan_topic
  }

  lifecycle {
    precondition {
      condition     = length(local.missing_secrets) == 0
      error_message = "These secrets have no value yet: ${join(", ", local.missing_secrets)}. deploy.sh stores generated ones itself and required ones from environment variables of the same name; or add one with: printf %s \"$VALUE\" | gcloud secrets versions add NAME --data-file=-"
    }
    precondition {
      condition     = contains(keys(local.registry.topics), var.scan_topic)
      error_message = "scan_topic ${var.scan_topic} is not a topic of shared/topics.json."
    }
    precondition {
      condition     = length(setsubtract(keys(local.functions), keys(var.source_archives))) == 0
      error_message = "source_archives needs a zip for every function (${join(", ", keys(local.functions))}): run ./deploy.sh."
    }
    precondition {
      condition     = alltrue(flatten([for topic in values(local.registry.topics) : [for name in topic.subscribers : contains(keys(local.functions), name)]]))
      error_message = "A subscriber in shared/topics.json is not one of the functions in functions.tf."
    }
    precondition {
      condition     = alltrue([for topic in values(local.registry.topics) : length(topic.subscribers) > 0])
      error_message = "Every topic in shared/topics.json needs a subscriber: Pub/Sub drops what nobody subscribes to."
    }
  }
}

# --- Pub/Sub: the registry's topics and their dead letters ------------------------------------

module "topics" {
  source = "../../modules/topics"

  project_id           = var.project_id
  registry             = local.registry
  pubsub_service_agent = local.pubsub_agent

  depends_on = [google_project_service.api]
}

# The identity Pub/Sub signs each push with; only the event functions grant it run.invoker.
resource "google_service_account" "push" {
  project      = var.project_id
  account_id   = "chartgenius-pubsub-push"
  display_name = "ChartGenius Pub/Sub push"
  description  = "Pub/Sub pushes to the event functions as this account (OIDC)."

  depends_on = [google_project_service.api]
}

# Pub/Sub mints the push OIDC tokens as that account.
resource "google_service_account_iam_member" "push_tokens" {
  service_account_id = google_service_account.push.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.pubsub_agent
}

# --- Firestore -----------------------------------------------------------------------------

module "firestore" {
  source = "../../modules/firestore"

  project_id = var.project_id
  location   = local.firestore_location
  rules_file = "${path.module}/../../firestore.rules"

  depends_on = [google_project_service.api]
}

# --- Cloud Storage ---------------------------------------------------------------------------

# Prompt templates (prompts/), chart images (charts/) and the web chart's candles (candles/,
# decision 0077). Private; the functions read and
# write it with their service accounts. Versioning keeps every earlier prompt an admin saved.
resource "google_storage_bucket" "data" {
  project                     = var.project_id
  name                        = "${var.project_id}-chartgenius-data"
  location                    = var.region
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  versioning {
    enabled = true
  }

  # Charts and their candles are re-creatable: live ones expire after chart_retention_days...
  lifecycle_rule {
    condition {
      age            = var.chart_retention_days
      matches_prefix = ["charts/", "candles/"]
      with_state     = "LIVE"
    }
    action {
      type = "Delete"
    }
  }

  # ...and a replaced or deleted chart leaves no history behind.
  lifecycle_rule {
    condition {
      matches_prefix             = ["charts/", "candles/"]
      with_state                 = "ARCHIVED"
      days_since_noncurrent_time = 1
    }
    action {
      type = "Delete"
    }
  }

  # A prompt keeps its 20 latest earlier versions.
  lifecycle_rule {
    condition {
      matches_prefix     = ["prompts/"]
      with_state         = "ARCHIVED"
      num_newer_versions = 20
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.api]
}

# Source archives of the functions, named by content hash (modules/function). Old archives are
# never needed again once their build ran.
resource "google_storage_bucket" "sources" {
  project                     = var.project_id
  name                        = "${var.project_id}-chartgenius-sources"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  lifecycle_rule {
    condition {
      age = 90
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.api]
}

# --- Secret Manager: the secrets, without values ------------------------------------------------

resource "google_secret_manager_secret" "secret" {
  for_each = local.secrets

  project   = var.project_id
  secret_id = each.key

  replication {
    auto {}
  }

  depends_on = [google_project_service.api]
}

# --- Builds --------------------------------------------------------------------------------------

resource "google_artifact_registry_repository" "functions" {
  project       = var.project_id
  location      = var.region
  repository_id = "chartgenius-functions"
  format        = "DOCKER"
  description   = "Images Cloud Build makes from the function sources."

  cleanup_policy_dry_run = false

  cleanup_policies {
    id     = "keep-recent"
    action = "KEEP"
    most_recent_versions {
      keep_count = 5
    }
  }

  cleanup_policies {
    id     = "delete-old"
    action = "DELETE"
    condition {
      older_than = "2592000s" # 30 days, unless among the 5 most recent
    }
  }

  depends_on = [google_project_service.api]
}

# Cloud Build builds every function as this account instead of a broad default one.
resource "google_service_account" "builder" {
  project      = var.project_id
  account_id   = "chartgenius-builder"
  display_name = "ChartGenius function builds"
  description  = "Cloud Build builds the function images as this account."

  depends_on = [google_project_service.api]
}

resource "google_project_iam_member" "builder_logs" {
  project = var.project_id
  role    = "roles/logging.logWriter" # writes the build logs
  member  = "serviceAccount:${google_service_account.builder.email}"
}

resource "google_storage_bucket_iam_member" "builder_sources" {
  bucket = google_storage_bucket.sources.name
  role   = "roles/storage.objectViewer" # reads the source archives, nothing else in Storage
  member = "serviceAccount:${google_service_account.builder.email}"
}

# A 2nd gen build reads the source from the buckets Cloud Functions copies it to
# (gcf-v2-sources-<number>-<region>, gcf-v2-uploads-<number>-<region>...) and keeps the
# buildpack cache there; those buckets are Google-named and created on the first deploy, so
# the grant is on the project, narrowed by a condition to those buckets only.
resource "google_project_iam_member" "builder_gcf_buckets" {
  project = var.project_id
  role    = "roles/storage.objectAdmin"
  member  = "serviceAccount:${google_service_account.builder.email}"

  condition {
    title       = "gcf-v2-buckets"
    description = "Only the buckets Cloud Functions (2nd gen) stages sources and caches in."
    expression  = "resource.name.startsWith(\"projects/_/buckets/gcf-v2-\")"
  }
}

resource "google_artifact_registry_repository_iam_member" "builder_images" {
  project    = var.project_id
  location   = google_artifact_registry_repository.functions.location
  repository = google_artifact_registry_repository.functions.name
  role       = "roles/artifactregistry.writer" # pushes images to this repository only
  member     = "serviceAccount:${google_service_account.builder.email}"
}

# --- The market scan ---------------------------------------------------------------------------

# Publishes a MarketScanRequested to the registry's scan topic on a schedule. The message is
# built and validated by deploy.sh from shared/events.py, so it always matches the schema.
resource "google_cloud_scheduler_job" "market_scan" {
  project     = var.project_id
  region      = var.region
  name        = "chartgenius-market-scan"
  description = "Scheduled market scan for market_fetcher."
  schedule    = var.scan_schedule
  time_zone   = var.scan_time_zone

  pubsub_target {
    topic_name = module.topics.topic_ids[var.scan_topic]
    data       = base64encode(var.scan_message)
  }

  depends_on = [terraform_data.preflight, google_project_service.api]
}
