# One Cloud Function (2nd gen) with its own service account, its source archive, and — for an
# event function — one Pub/Sub push subscription per topic it subscribes to.
#
# Event functions get their messages from push subscriptions this module owns rather than from
# an Eventarc trigger: that is what gives every subscription a dead-letter topic and an
# exponential retry policy in Terraform, and lets one function subscribe to several topics.
# The push goes to <function url>/projects/<project>/topics/<topic>; from that path the
# Functions Framework builds the same CloudEvent a Pub/Sub trigger delivers
# (source //pubsub.googleapis.com/projects/<project>/topics/<topic>), which shared/delivery.py
# decodes. docs/decisions/0010-infrastructure.md has the reasoning.

locals {
  # Cloud Run service names take no underscores; the Python entry point keeps them.
  service_name = replace(var.name, "_", "-")
  member       = "serviceAccount:${google_service_account.runtime.email}"
  mounted      = sort([for name, secret in var.secrets : name if secret.mounted])
}

# --- identity -----------------------------------------------------------------------------

resource "google_service_account" "runtime" {
  project      = var.project_id
  account_id   = "chartgenius-${local.service_name}"
  display_name = "ChartGenius ${var.name} function"
  description  = "Runs only the ${var.name} function; holds only the roles its code needs."
}

resource "google_project_iam_member" "role" {
  for_each = toset(var.project_roles)

  project = var.project_id
  role    = each.value
  member  = local.member
}

resource "google_secret_manager_secret_iam_member" "accessor" {
  for_each = var.secrets

  project   = var.project_id
  secret_id = each.value.id
  role      = "roles/secretmanager.secretAccessor" # reads this one secret, no other
  member    = local.member
}

resource "google_storage_bucket_iam_member" "data" {
  count = var.data_bucket_role == null ? 0 : 1

  bucket = var.data_bucket
  role   = var.data_bucket_role
  member = local.member
}

resource "google_pubsub_topic_iam_member" "publisher" {
  for_each = var.publish_topics

  project = var.project_id
  topic   = each.value
  role    = "roles/pubsub.publisher" # publishes to this topic only
  member  = local.member
}

# Firebase Admin signs custom tokens with IAM signBlob as the runtime service account itself.
resource "google_service_account_iam_member" "sign_own_tokens" {
  count = var.sign_own_tokens ? 1 : 0

  service_account_id = google_service_account.runtime.name
  role               = "roles/iam.serviceAccountTokenCreator" # on itself only
  member             = local.member
}

# --- source and function ------------------------------------------------------------------

# Named by the archive's content hash: any change to main.py, requirements.txt or shared/
# gives a new object name, and a new object name redeploys the function.
resource "google_storage_bucket_object" "source" {
  name   = "${var.name}/${filesha256(var.source_archive)}.zip"
  bucket = var.sources_bucket
  source = var.source_archive

  lifecycle {
    create_before_destroy = true
  }
}

resource "google_cloudfunctions2_function" "this" {
  project     = var.project_id
  location    = var.region
  name        = local.service_name
  description = var.description
  labels      = var.labels

  build_config {
    runtime           = "python312"
    entry_point       = var.name
    service_account   = var.builder_service_account_id
    docker_repository = var.docker_repository

    # The buildpack byte-compiles the source (`compileall -f .`), then the image export sets
    # every file's mtime to 1980-01-01T00:00:01Z, which makes timestamp-checked .pyc stale: each
    # new instance would compile main.py and shared/ again. With SOURCE_DATE_EPOCH set,
    # compileall writes hash-checked .pyc instead, valid whatever the mtimes (decision 0114;
    # tests/rehearsal builds the archives the same way).
    environment_variables = jsondecode(file("${path.module}/build_env.json"))

    source {
      storage_source {
        bucket = var.sources_bucket
        object = google_storage_bucket_object.source.name
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.runtime.email
    available_memory                 = var.memory
    available_cpu                    = var.cpu
    max_instance_request_concurrency = var.concurrency
    timeout_seconds                  = var.timeout_seconds
    min_instance_count               = var.min_instances
    max_instance_count               = var.max_instances
    all_traffic_on_latest_revision   = true
    ingress_settings                 = var.public ? "ALLOW_ALL" : "ALLOW_INTERNAL_ONLY"

    # LOG_EXECUTION_ID is what Cloud Functions sets anyway; saying so avoids a permanent diff.
    # THREADS: functions-framework gives gunicorn 4 threads per CPU unless told, so an instance
    # that may take `concurrency` requests would serve only 4 at a time; one worker process
    # with one thread per concurrent request matches what Cloud Run sends it.
    environment_variables = merge(var.environment, {
      LOG_EXECUTION_ID = "true"
      WORKERS          = "1"
      THREADS          = tostring(var.concurrency)
    })

    dynamic "secret_environment_variables" {
      for_each = toset(local.mounted)
      content {
        key        = secret_environment_variables.value
        project_id = var.project_number
        secret     = secret_environment_variables.value
        version    = "latest" # a new value reaches new instances; redeploy to roll it out at once
      }
    }
  }

  # A revision that cannot read its secrets does not start: grant first, deploy second.
  depends_on = [
    google_secret_manager_secret_iam_member.accessor,
    google_project_iam_member.role,
  ]
}

# --- who may call it ----------------------------------------------------------------------

# The public HTTP functions authenticate every request themselves (the API's JWTs, Telegram's
# secret token), so anyone may reach them.
resource "google_cloud_run_service_iam_member" "public" {
  count = var.public ? 1 : 0

  project  = var.project_id
  location = google_cloudfunctions2_function.this.location
  service  = google_cloudfunctions2_function.this.name # a 2nd gen function's Cloud Run service
  role     = "roles/run.invoker"
  member   = "allUsers"
}

# Event functions: only Pub/Sub's push identity may call them (and ingress is internal).
resource "google_cloud_run_service_iam_member" "push" {
  count = length(var.triggers) > 0 ? 1 : 0

  project  = var.project_id
  location = google_cloudfunctions2_function.this.location
  service  = google_cloudfunctions2_function.this.name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${var.push_service_account_email}"
}

# --- triggers: one push subscription per subscribed topic ---------------------------------

resource "google_pubsub_subscription" "trigger" {
  for_each = var.triggers

  project = var.project_id
  name    = "${each.key}.${var.name}" # <topic>.<subscriber>
  topic   = each.value.topic_id
  labels  = var.labels

  # Pub/Sub waits this long for the function's answer before it redelivers.
  ack_deadline_seconds       = var.timeout_seconds
  message_retention_duration = var.message_retention

  # A non-2xx answer (a TransientError or a crash) is retried with exponential backoff...
  retry_policy {
    minimum_backoff = var.minimum_backoff
    maximum_backoff = var.maximum_backoff
  }

  # ...and after max_delivery_attempts the message goes to the topic's dead-letter topic.
  dead_letter_policy {
    dead_letter_topic     = each.value.dead_letter_topic_id
    max_delivery_attempts = var.max_delivery_attempts
  }

  push_config {
    push_endpoint = "${google_cloudfunctions2_function.this.service_config[0].uri}/projects/${var.project_id}/topics/${each.key}"

    oidc_token {
      service_account_email = var.push_service_account_email
      audience              = google_cloudfunctions2_function.this.service_config[0].uri
    }
  }

  expiration_policy {
    ttl = "" # never expires for lack of traffic
  }

  depends_on = [google_cloud_run_service_iam_member.push]
}

# Forwarding to the dead-letter topic acknowledges the message here, as the Pub/Sub agent.
resource "google_pubsub_subscription_iam_member" "dead_letter_forwarding" {
  for_each = google_pubsub_subscription.trigger

  project      = var.project_id
  subscription = each.value.name
  role         = "roles/pubsub.subscriber"
  member       = var.pubsub_service_agent
}
