# Firestore (native mode): the database, the composite indexes the code's queries need, and the
# security rules that let a browser read its own user's documents and nothing else.

locals {
  # name => collection and ordered fields, one per query the code makes that Firestore cannot
  # answer from its automatic single-field indexes (a filter on one field ordered by another).
  indexes = {
    # GET /api/analysis: a user's analyses, newest first
    analyses_by_user = {
      collection = "analyses"
      fields     = [["user_id", "ASCENDING"], ["created_at", "DESCENDING"]]
    }
    # GET /api/analysis?symbol=: a user's analyses of one pair, newest first
    analyses_by_user_and_symbol = {
      collection = "analyses"
      fields     = [["user_id", "ASCENDING"], ["symbol", "ASCENDING"], ["created_at", "DESCENDING"]]
    }
    # the web's history listener on the public views (analyses_public, decision 0076)
    analyses_public_by_user = {
      collection = "analyses_public"
      fields     = [["user_id", "ASCENDING"], ["created_at", "DESCENDING"]]
    }
    # admin tasks: analyses in a state (failed), newest first
    analyses_by_status = {
      collection = "analyses"
      fields     = [["status", "ASCENDING"], ["created_at", "DESCENDING"]]
    }
    # bot /price: the latest completed analysis of a pair
    analyses_by_symbol_and_status = {
      collection = "analyses"
      fields     = [["symbol", "ASCENDING"], ["status", "ASCENDING"], ["updated_at", "DESCENDING"]]
    }
    # a user's notifications, newest first (web listener, API)
    notifications_by_user = {
      collection = "notifications"
      fields     = [["user_id", "ASCENDING"], ["created_at", "DESCENDING"]]
    }
    # a user's unread notifications, newest first (the bell's ?unread=true)
    notifications_unread_by_user = {
      collection = "notifications"
      fields     = [["user_id", "ASCENDING"], ["read", "ASCENDING"], ["created_at", "DESCENDING"]]
    }
    # bot /alerts: a user's notifications of one kind, newest first
    notifications_by_user_and_kind = {
      collection = "notifications"
      fields     = [["user_id", "ASCENDING"], ["kind", "ASCENDING"], ["created_at", "DESCENDING"]]
    }
    # admin tasks filtered by pair (all states, or one), newest first
    analyses_by_symbol = {
      collection = "analyses"
      fields     = [["symbol", "ASCENDING"], ["created_at", "DESCENDING"]]
    }
    analyses_by_symbol_and_state = {
      collection = "analyses"
      fields     = [["symbol", "ASCENDING"], ["status", "ASCENDING"], ["created_at", "DESCENDING"]]
    }
    # admin users: by role, or banned ones, newest first (paged by created_at)
    users_by_role = {
      collection = "users"
      fields     = [["role", "ASCENDING"], ["created_at", "DESCENDING"]]
    }
    users_by_ban = {
      collection = "users"
      fields     = [["banned", "ASCENDING"], ["created_at", "DESCENDING"]]
    }
    # moderation log of one target, newest first
    moderation_log_by_target = {
      collection = "moderation_log"
      fields     = [["target", "ASCENDING"], ["at", "DESCENDING"]]
    }
  }

  # collection => timestamp field after which Firestore deletes the document (TTL policy).
  # Dedup records are only needed for as long as a retry can arrive; Telegram send slots
  # and exchange request slots for an hour after their time (docs/decisions/0113, 0116).
  ttl_fields = {
    telegram_updates = "expire_at"
    send_slots       = "expire_at"
    send_budget      = "expire_at"
    request_budget   = "expire_at"
  }
}

resource "google_firestore_database" "main" {
  project     = var.project_id
  name        = "(default)"
  location_id = var.location
  type        = "FIRESTORE_NATIVE"

  app_engine_integration_mode       = "DISABLED"
  point_in_time_recovery_enablement = "POINT_IN_TIME_RECOVERY_ENABLED" # 7 days of restore points
  delete_protection_state           = "DELETE_PROTECTION_ENABLED"
  deletion_policy                   = "ABANDON" # terraform destroy never deletes the data
}

resource "google_firestore_index" "index" {
  for_each = local.indexes

  project     = var.project_id
  database    = google_firestore_database.main.name
  collection  = each.value.collection
  query_scope = "COLLECTION"

  dynamic "fields" {
    for_each = each.value.fields
    content {
      field_path = fields.value[0]
      order      = fields.value[1]
    }
  }
}

resource "google_firestore_field" "ttl" {
  for_each = local.ttl_fields

  project    = var.project_id
  database   = google_firestore_database.main.name
  collection = each.key
  field      = each.value

  ttl_config {}

  # A field only the TTL reads needs no index (and a timestamp index would hotspot).
  index_config {}
}

# Server code uses the Admin SDKs, which rules do not apply to; rules govern the browser only.
resource "google_firebaserules_ruleset" "firestore" {
  project = var.project_id

  source {
    files {
      name    = "firestore.rules"
      content = file(var.rules_file)
    }
  }

  depends_on = [google_firestore_database.main]
}

resource "google_firebaserules_release" "firestore" {
  project      = var.project_id
  name         = "cloud.firestore" # the release the (default) database serves
  ruleset_name = "projects/${var.project_id}/rulesets/${google_firebaserules_ruleset.firestore.name}"

  lifecycle {
    replace_triggered_by = [google_firebaserules_ruleset.firestore]
  }
}
