# Telemetry: every counter and histogram of shared/metrics.py is one structured log line per
# update ({"metric": <name>, "value": <amount>, "metric_labels": {...}}, shared/metrics.py);
# each becomes a log-based metric of the same name, read by the dashboard and the alerts.
# A test (tests/unit/test_topic_registry.py) checks this table against shared/metrics.py.

locals {
  # name => what it is. "count": one per log line (the code counts 1 each time);
  # "distribution": the line's value (seconds, tokens, dollars), summed or percentiled.
  log_metrics = {
    chartgenius_http_requests                 = { kind = "count", unit = "1", labels = ["route", "method", "status"] }
    chartgenius_http_request_duration_seconds = { kind = "distribution", unit = "s", labels = ["route", "method"] }
    chartgenius_analyses                      = { kind = "count", unit = "1", labels = ["status"] }
    chartgenius_analysis_duration_seconds     = { kind = "distribution", unit = "s", labels = ["status"] }
    chartgenius_analyses_expired              = { kind = "count", unit = "1", labels = [] }
    chartgenius_llm_tokens                    = { kind = "distribution", unit = "1", labels = ["provider", "kind"] }
    chartgenius_llm_cost_usd                  = { kind = "distribution", unit = "USD", labels = ["provider"] }
    chartgenius_market_source_fallbacks       = { kind = "count", unit = "1", labels = ["source", "reason"] }
    chartgenius_telegram_sends                = { kind = "count", unit = "1", labels = ["outcome"] }
    chartgenius_telegram_429                  = { kind = "count", unit = "1", labels = [] }
    chartgenius_dead_letters                  = { kind = "count", unit = "1", labels = ["topic"] }
  }
  metric_type  = { for name, _ in local.log_metrics : name => "logging.googleapis.com/user/${name}" }
  our_services = join(" OR ", [for name in keys(local.functions) : "resource.labels.service_name=\"${replace(name, "_", "-")}\""])
}

resource "google_logging_metric" "metric" {
  for_each = local.log_metrics

  project     = var.project_id
  name        = each.key
  description = "ChartGenius ${each.key} (shared/metrics.py), from the functions' structured logs."
  filter      = "resource.type=\"cloud_run_revision\" AND jsonPayload.metric=\"${each.key}\""

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = each.value.kind == "count" ? "INT64" : "DISTRIBUTION"
    unit        = each.value.unit

    dynamic "labels" {
      for_each = toset(each.value.labels)
      content {
        key        = labels.value
        value_type = "STRING"
      }
    }
  }

  value_extractor  = each.value.kind == "count" ? null : "EXTRACT(jsonPayload.value)"
  label_extractors = { for label in each.value.labels : label => "EXTRACT(jsonPayload.metric_labels.${label})" }

  dynamic "bucket_options" {
    for_each = each.value.kind == "count" ? [] : [1]
    content {
      exponential_buckets { # 0.001 .. ~0.5 million: seconds, tokens and dollars alike
        num_finite_buckets = 30
        growth_factor      = 2
        scale              = 0.001
      }
    }
  }

  depends_on = [google_project_service.api]
}

# Errors of any function, by function: the error-rate alert.
resource "google_logging_metric" "errors" {
  project     = var.project_id
  name        = "chartgenius_errors"
  description = "Log lines at ERROR or above from the ChartGenius functions."
  filter      = "resource.type=\"cloud_run_revision\" AND (${local.our_services}) AND severity>=ERROR"

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"
    labels {
      key        = "function"
      value_type = "STRING"
    }
  }
  label_extractors = { function = "EXTRACT(resource.labels.service_name)" }

  depends_on = [google_project_service.api]
}

# --- alerts ------------------------------------------------------------------------------------

resource "google_monitoring_notification_channel" "email" {
  count = var.alert_email == null ? 0 : 1

  project      = var.project_id
  display_name = "ChartGenius alerts"
  type         = "email"
  labels       = { email_address = var.alert_email }
}

locals {
  alert_channels = google_monitoring_notification_channel.email[*].id
}

# A message that exhausted its delivery attempts: Pub/Sub's own count, every subscription.
resource "google_monitoring_alert_policy" "dead_letters" {
  project               = var.project_id
  display_name          = "ChartGenius: messages dead-lettered"
  combiner              = "OR"
  notification_channels = local.alert_channels

  conditions {
    display_name = "dead-lettered messages > 0"
    condition_threshold {
      filter          = "resource.type=\"pubsub_subscription\" AND metric.type=\"pubsub.googleapis.com/subscription/dead_letter_message_count\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"
      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }

  documentation {
    content = "A message failed every delivery attempt. The dead_letters collection and the pull subscription of its dead-letter topic show it with its last error (infra/README.md)."
  }
  depends_on = [google_project_service.api]
}

resource "google_monitoring_alert_policy" "error_rate" {
  project               = var.project_id
  display_name          = "ChartGenius: error rate"
  combiner              = "OR"
  notification_channels = local.alert_channels

  conditions {
    display_name = "more than ${var.alert_errors_per_5min} errors in 5 minutes"
    condition_threshold {
      filter          = "resource.type=\"cloud_run_revision\" AND metric.type=\"logging.googleapis.com/user/${google_logging_metric.errors.name}\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.alert_errors_per_5min
      duration        = "0s"
      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }
  depends_on = [google_logging_metric.errors]
}

# An analysis that sat in progress until its deadline: some stage is stuck or down.
resource "google_monitoring_alert_policy" "stuck_analyses" {
  project               = var.project_id
  display_name          = "ChartGenius: analyses stuck until their deadline"
  combiner              = "OR"
  notification_channels = local.alert_channels

  conditions {
    display_name = "analyses expired in 15 minutes > 0"
    condition_threshold {
      filter          = "resource.type=\"cloud_run_revision\" AND metric.type=\"${local.metric_type["chartgenius_analyses_expired"]}\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"
      aggregations {
        alignment_period     = "900s"
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }
  depends_on = [google_logging_metric.metric]
}

# LLM spend over the last day (the sum of the cost distribution), against a budget.
resource "google_monitoring_alert_policy" "llm_spend" {
  project               = var.project_id
  display_name          = "ChartGenius: LLM spend per day"
  combiner              = "OR"
  notification_channels = local.alert_channels

  conditions {
    display_name = "LLM cost in 24 h > ${var.llm_daily_budget_usd} USD"
    condition_prometheus_query_language {
      query               = "sum(increase(logging_googleapis_com:user_chartgenius_llm_cost_usd_sum[1d])) > ${var.llm_daily_budget_usd}"
      duration            = "0s"
      evaluation_interval = "300s"
    }
  }
  depends_on = [google_logging_metric.metric]
}

# --- dashboard (the seed's Grafana dashboards, in Cloud Monitoring) ------------------------------

locals {
  # title => [metric, aligner, group-by label]
  dashboard_charts = [
    ["Analyses by status", "chartgenius_analyses", "ALIGN_RATE", "metric.label.status"],
    ["Analysis duration (p95, s)", "chartgenius_analysis_duration_seconds", "ALIGN_PERCENTILE_95", "metric.label.status"],
    ["API requests by status", "chartgenius_http_requests", "ALIGN_RATE", "metric.label.status"],
    ["API latency (p95, s)", "chartgenius_http_request_duration_seconds", "ALIGN_PERCENTILE_95", "metric.label.route"],
    ["LLM tokens by provider", "chartgenius_llm_tokens", "ALIGN_RATE", "metric.label.provider"],
    ["LLM cost by provider (USD)", "chartgenius_llm_cost_usd", "ALIGN_RATE", "metric.label.provider"],
    ["Market source fallbacks", "chartgenius_market_source_fallbacks", "ALIGN_RATE", "metric.label.source"],
    ["Telegram sends by outcome", "chartgenius_telegram_sends", "ALIGN_RATE", "metric.label.outcome"],
    ["Telegram 429s", "chartgenius_telegram_429", "ALIGN_RATE", ""],
    ["Dead letters by topic", "chartgenius_dead_letters", "ALIGN_RATE", "metric.label.topic"],
    ["Analyses expired (stuck)", "chartgenius_analyses_expired", "ALIGN_RATE", ""],
  ]
}

resource "google_monitoring_dashboard" "main" {
  project = var.project_id
  dashboard_json = jsonencode({
    displayName = "ChartGenius"
    mosaicLayout = {
      columns = 12
      tiles = [for index, chart in local.dashboard_charts : {
        xPos   = (index % 2) * 6
        yPos   = floor(index / 2) * 4
        width  = 6
        height = 4
        widget = {
          title = chart[0]
          xyChart = {
            dataSets = [{
              plotType = "LINE"
              timeSeriesQuery = {
                timeSeriesFilter = {
                  filter = "metric.type=\"${local.metric_type[chart[1]]}\" resource.type=\"cloud_run_revision\""
                  aggregation = {
                    alignmentPeriod    = "300s"
                    perSeriesAligner   = chart[2]
                    crossSeriesReducer = chart[2] == "ALIGN_RATE" ? "REDUCE_SUM" : "REDUCE_MAX"
                    groupByFields      = chart[3] == "" ? [] : [chart[3]]
                  }
                }
              }
            }]
          }
        }
      }]
    }
  })

  depends_on = [google_logging_metric.metric]
}
